"""The clinic's core: content, terms and answers. No Rasa imports here."""
