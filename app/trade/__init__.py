"""Trade licences under the CG Nagarpalika (Vyapar Anugyapan) Niyam 2025 (issue 5)."""
