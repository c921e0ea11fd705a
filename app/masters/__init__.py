"""Masters: the ULB, its zones and wards, financial years, this device's identity, and tariffs."""
