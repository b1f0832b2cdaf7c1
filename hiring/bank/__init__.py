"""Question banks: YAML loading, the schema, validation and lint."""

from hiring.bank.load import check_bank, load_bank
from hiring.bank.models import Bank, Competency, Question, Role, Round, Scale, localise
from hiring.bank.yaml_reader import Problem

__all__ = [
    "Bank",
    "Competency",
    "Problem",
    "Question",
    "Role",
    "Round",
    "Scale",
    "check_bank",
    "load_bank",
    "localise",
]
