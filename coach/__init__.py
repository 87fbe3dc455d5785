"""resume-coach: resume optimizer and career-change coach."""

__version__ = "0.1.0"
