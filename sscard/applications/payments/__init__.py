"""Payment gateways for the fees of replacement and renewal applications (registry: `registry.py`, what a
gateway does: `base.py`, one module per gateway), and the services and selectors of `models.Payment`."""
