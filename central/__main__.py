"""`python -m central ...` (the same commands as `nikay-central`)."""

from central.cli import main

if __name__ == "__main__":
    main()
