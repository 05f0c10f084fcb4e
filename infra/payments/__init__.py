"""Payment providers: the Stripe adapter."""
