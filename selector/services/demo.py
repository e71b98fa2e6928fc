"""A demo workspace with real products and ILLUSTRATIVE scores, for trying Shortlist out.

The scores are examples chosen to make the demo instructive, not an assessment of the
products; every tool's notes say so. Prices (the price scores) are indicative USD
per seat per month.
"""

from django.contrib.auth import get_user_model
from django.db import transaction

from selector.models import Evaluation, Membership, WeightProfile, Workspace
from selector.selectors import DEMO_USERNAME, DEMO_WORKSPACE
from selector.services.evaluations import save_evaluation
from selector.services.runs import start_run
from selector.services.tools import save_tool
from selector.services.workspaces import create_workspace
from selector.shipped_texts import DEMO_EVALUATION, DEMO_NOTE, SEVERAL_PROVIDERS

DEMO_PASSWORD = "shortlist-demo"
# The names and notes are shipped texts (selector.shipped_texts): stored in English,
# shown in the reader's language until someone edits them.
NOTE = DEMO_NOTE

# name, vendor, category, provider, openness, deployment, price, scores (1-5 except price)
#   roi, industry_customization, security_safety, performance, expanded_capabilities,
#   implementation_costs, data_privacy_risk, hallucination_risk
TOOLS = (
    (
        "GitHub Copilot Business",
        "GitHub",
        "code_copilot",
        "OpenAI / Anthropic",
        "closed",
        "saas",
        19,
        (4, 2, 4, 4, 3, 2, 2, 3),
    ),
    (
        "Cursor Business",
        "Anysphere",
        "code_copilot",
        "Anthropic / OpenAI",
        "closed",
        "saas",
        40,
        (5, 2, 3, 5, 4, 2, 3, 3),
    ),
    (
        "ChatGPT Enterprise",
        "OpenAI",
        "chat_assistant",
        "OpenAI",
        "closed",
        "saas",
        60,
        (4, 3, 4, 5, 5, 3, 2, 3),
    ),
    (
        "Claude for Work",
        "Anthropic",
        "chat_assistant",
        "Anthropic",
        "closed",
        "saas",
        30,
        (4, 3, 5, 5, 4, 2, 2, 2),
    ),
    (
        "Microsoft 365 Copilot",
        "Microsoft",
        "chat_assistant",
        "OpenAI",
        "closed",
        "saas",
        30,
        (3, 4, 4, 3, 4, 4, 2, 3),
    ),
    (
        "Gemini for Google Workspace",
        "Google",
        "chat_assistant",
        "Google",
        "closed",
        "saas",
        30,
        (3, 3, 4, 4, 4, 3, 2, 3),
    ),
    (
        "Glean",
        "Glean",
        "enterprise_search",
        SEVERAL_PROVIDERS,
        "closed",
        "saas",
        50,
        (4, 4, 4, 4, 3, 4, 2, 2),
    ),
    (
        "Perplexity Enterprise Pro",
        "Perplexity",
        "enterprise_search",
        SEVERAL_PROVIDERS,
        "closed",
        "saas",
        40,
        (3, 2, 3, 4, 3, 1, 3, 2),
    ),
    (
        "Self-hosted Llama 3.3 70B",
        "Meta",
        "model_api",
        "Meta",
        "open",
        "self_hosted",
        15,
        (3, 5, 5, 3, 2, 5, 1, 4),
    ),
)
SCORE_KEYS = (
    "roi",
    "industry_customization",
    "security_safety",
    "performance",
    "expanded_capabilities",
    "implementation_costs",
    "data_privacy_risk",
    "hallucination_risk",
)


@transaction.atomic
def seed_demo() -> tuple[object, Workspace, bool]:
    """Create the demo user, workspace, tools and a first ranked evaluation (once)."""
    User = get_user_model()
    user, created = User.objects.get_or_create(username=DEMO_USERNAME)
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    membership = (
        Membership.objects.filter(user=user, workspace__name=DEMO_WORKSPACE)
        .select_related("workspace")
        .first()
    )
    if membership is not None:
        return user, membership.workspace, False

    workspace = create_workspace(user=user, name=DEMO_WORKSPACE)
    tools = []
    for name, vendor, category, provider, openness, deployment, price, values in TOOLS:
        scores = dict(zip(SCORE_KEYS, values, strict=True))
        scores["price"] = price
        tools.append(
            save_tool(
                user=user,
                workspace=workspace,
                data={
                    "name": name,
                    "vendor": vendor,
                    "category": category,
                    "model_provider": provider,
                    "openness": openness,
                    "deployment": deployment,
                    "notes": NOTE,
                },
                scores=scores,
            )
        )
    evaluation = save_evaluation(
        user=user,
        workspace=workspace,
        name=DEMO_EVALUATION,
        profile=WeightProfile.objects.get(slug="menlo-2024-app-selection"),
        tools=tools,
        method=Evaluation._meta.get_field("method").default,
    )
    start_run(user=user, evaluation=evaluation)
    return user, workspace, True
