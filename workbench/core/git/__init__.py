"""All git access of the product goes through this package."""
