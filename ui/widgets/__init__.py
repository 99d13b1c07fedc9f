"""Small widgets and helpers shared by every feature: banner, number formatting, error headlines."""
