"""Small, dependency-free building blocks shared by every capability: money, time, ids, text."""
