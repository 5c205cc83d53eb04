"""Customer groups and product restrictions: may this customer buy product P?"""
