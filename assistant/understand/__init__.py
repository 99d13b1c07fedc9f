"""Understanding the user's words without a model: intent, "what", time, language, confidence."""
