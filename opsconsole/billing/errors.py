from ..errors import DomainError

__all__ = ["DomainError"]
