"""hiring: structured interviewing for call-centre and customer-service teams."""

__version__ = "0.1.0"
