"""Reading a course folder into the model (see loader.load_course)."""
