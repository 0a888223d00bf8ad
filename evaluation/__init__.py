"""How well the product's heuristics do on labelled data; not part of the installed package."""
