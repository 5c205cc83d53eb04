"""Orders as Patron records them: attribution to customers, payment and refund for loyalty."""
