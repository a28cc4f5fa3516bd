"""The RLS massage assistant's engine: knowledge -> tokens and ranking -> composed answer."""

from .compose import Answer, Citation
from .engine import Engine
from .errors import AssistantError, KnowledgeError, KnowledgeInvalid
from .knowledge import Knowledge, load_knowledge

__all__ = ["Answer", "AssistantError", "Citation", "Engine", "Knowledge", "KnowledgeError",
           "KnowledgeInvalid", "load_knowledge"]
