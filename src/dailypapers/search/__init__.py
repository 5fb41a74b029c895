"""Search: lexical full-text search, sentence embeddings and the vector index behind them."""
