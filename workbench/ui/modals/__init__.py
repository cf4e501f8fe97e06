"""Modal dialogs of the app (typed editors, confirmations, commit, help)."""
