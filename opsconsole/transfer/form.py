"""The Subscription Import Form's columns (migration guide), in the guide's order."""

REQUIRED = ("referenceId", "first", "last", "email", "language", "country", "region",
            "postalCode", "live", "productPath", "quantity", "currency", "listPrice", "interval",
            "intervalLength", "nextChargeDate", "endDate")
OPTIONAL = ("company", "phone", "addressLine1", "addressLine2", "city", "discountType",
            "discountValue", "discountDuration", "discountCode", "beginDate", "trialEndDate",
            "intervalCount", "taxExemptionData", "manualRenew")
COLUMNS = REQUIRED + OPTIONAL

PAYMENT_REQUIRED = ("referenceId", "token")
PAYMENT_COLUMNS = ("referenceId", "token", "last4", "expiry")

MAX_CELL = 1000  # characters: a longer cell is a broken file, not a customer's name
