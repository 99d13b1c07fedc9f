"""Models and downloads: installed models, the catalog, remote engines and the search (embedding) model."""
