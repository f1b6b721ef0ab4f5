"""The benchmark catalogue: programmes, themes, key factors, guide questions, examples."""
