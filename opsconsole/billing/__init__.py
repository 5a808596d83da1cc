"""The billing core: plain functions over the store. No Textual, no click."""
