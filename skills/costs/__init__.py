"""Cost against value, per client and month, from the signals other systems send
(docs/costs.md): the figures (``month``), and where they are shown — the card (``card``), the
board's column and cost order (``board``), the weekly summary (``summary``), the export
(``export``) and the assessment's prefilled answers (``assessment``)."""
