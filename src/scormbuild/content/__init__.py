"""Reading a course folder into the model (see loader.CourseLoader; scormbuild.course checks the result)."""
