"""CRM notes on customers and companies: interactions, memos, and the customer timeline."""
