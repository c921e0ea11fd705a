"""Login window and the forced password change."""
