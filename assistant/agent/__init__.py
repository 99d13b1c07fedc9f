"""The agent: a tool registry (schemas from type hints), the loop, constrained tool calls."""
