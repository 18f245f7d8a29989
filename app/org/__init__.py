"""The organisation tree: administration → department (avdelning) → unit (enhet)."""
