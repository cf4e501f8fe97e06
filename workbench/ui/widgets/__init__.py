"""The views of the app, one widget per tab."""
