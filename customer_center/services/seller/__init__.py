"""The seller's side: its staff, their sign-in, and the account teams of customer companies."""
