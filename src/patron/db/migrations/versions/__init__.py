"""One module per revision. Each is frozen in time: it imports nothing of patron (what it needs is
copied in), so a later change to the application cannot change what an old revision does."""
