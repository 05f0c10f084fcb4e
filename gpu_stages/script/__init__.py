"""Script stage: intake of written or uploaded scripts, analysis, and duration planning."""

from gpu_stages.script.errors import ScriptRejected
from gpu_stages.script.intake import ScriptUpload, check_script_text, count_words, detect_format, read_upload
from gpu_stages.script.language import detect_language
from gpu_stages.script.setting import SETTINGS
from gpu_stages.script.stage import ScriptInput, ScriptSettings, ScriptStage, plan_script
from gpu_stages.script.templates import list_templates, load_template

__all__ = [
    "SETTINGS",
    "ScriptInput",
    "ScriptRejected",
    "ScriptSettings",
    "ScriptStage",
    "ScriptUpload",
    "check_script_text",
    "count_words",
    "detect_format",
    "detect_language",
    "list_templates",
    "load_template",
    "plan_script",
    "read_upload",
]
