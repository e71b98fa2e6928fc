"""A batch's options read and checked against the limits, before anything is saved.

A Monte Carlo study has at most SMAA_MAX_SAMPLES samples and SMAA_MAX_TOOL_SAMPLES
tools x samples (settings), in at most SMAA_MAX_CHUNKS chunks that each draw at least
as many samples as there are tools: a chunk stores a tools x ranks table, so the rows
a study writes, and its merge reads, stay within tools x samples.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from selector import formats

SMAA_DEFAULT_SAMPLES = 20_000
SMAA_DEFAULT_CHUNK = 2_000
SMAA_MIN_CHUNK = 100
SMAA_MAX_CHUNKS = 1_000


def smaa_chunks(
    *, tools: int, samples=SMAA_DEFAULT_SAMPLES, chunk_size=None, seed=0
) -> tuple[dict, list[dict]]:
    """A study of ``tools`` tools: its options as the batch keeps them, and each
    chunk's snapshot update (its samples and random stream). ValidationError naming
    the option and the limit it is beyond."""
    samples = whole_number(
        samples,
        "samples",
        minimum=1,
        maximum=settings.SMAA_MAX_SAMPLES,
        setting="SMAA_MAX_SAMPLES",
    )
    if chunk_size is not None:
        chunk_size = whole_number(
            chunk_size,
            "chunk_size",
            minimum=SMAA_MIN_CHUNK,
            maximum=settings.SMAA_MAX_SAMPLES,
        )
    seed = whole_number(seed, "seed", minimum=0, maximum=2**63 - 1)
    _check_tool_samples(samples, tools)
    chunk_size = max(SMAA_DEFAULT_CHUNK, tools) if chunk_size is None else chunk_size
    plans = [
        # [seed, index] seeds an independent numpy stream per chunk.
        {"smaa_samples": size, "smaa_seed": [seed, index]}
        for index, size in enumerate(_chunk_sizes(samples, chunk_size, tools))
    ]
    return {"samples": samples, "chunk_size": chunk_size, "seed": seed}, plans


def _check_tool_samples(samples: int, tools: int) -> None:
    limit = settings.SMAA_MAX_TOOL_SAMPLES
    if samples * tools > limit:
        raise ValidationError(
            {
                "samples": gettext(
                    "%(samples)s samples on %(tools)s tools make %(product)s "
                    "tool-samples, beyond the limit of %(limit)s "
                    "(SMAA_MAX_TOOL_SAMPLES): use at most %(most)s samples, or fewer "
                    "tools."
                )
                % {
                    "samples": formats.number(samples),
                    "tools": formats.number(tools),
                    "product": formats.number(samples * tools),
                    "limit": formats.number(limit),
                    "most": formats.number(limit // tools),
                }
            }
        )


def _chunk_sizes(samples: int, chunk_size: int, tools: int) -> list[int]:
    """The samples of each chunk; ValidationError (chunk_size) for too small chunks."""
    if chunk_size < tools:
        raise ValidationError(
            {
                "chunk_size": gettext(
                    "A chunk stores a tools x ranks table, so it draws at least as "
                    "many samples as there are tools: use a chunk_size of at least "
                    "%(tools)s."
                )
                % {"tools": formats.number(tools)}
            }
        )
    sizes = [chunk_size] * (samples // chunk_size)
    if samples % chunk_size:
        sizes.append(samples % chunk_size)
    if len(sizes) > SMAA_MAX_CHUNKS:
        raise ValidationError(
            {
                "chunk_size": gettext(
                    "%(samples)s samples in chunks of %(size)s make %(chunks)s "
                    "chunks; use at most %(most)s (a larger chunk_size)."
                )
                % {
                    "samples": formats.number(samples),
                    "size": formats.number(chunk_size),
                    "chunks": formats.number(len(sizes)),
                    "most": formats.number(SMAA_MAX_CHUNKS),
                }
            }
        )
    return sizes


def _not_whole(value) -> str:
    return gettext("%(value)s is not a whole number.") % {"value": repr(value)}


def whole_number(
    value, name: str, *, minimum: int, maximum: int, setting: str = ""
) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValidationError({name: _not_whole(value)})
    try:
        number = int(value)
    except ValueError:
        raise ValidationError({name: _not_whole(value)}) from None
    if setting and number > maximum:
        raise ValidationError(
            {
                name: gettext(
                    "%(number)s is beyond the limit of %(limit)s (%(setting)s)."
                )
                % {
                    "number": formats.number(number),
                    "limit": formats.number(maximum),
                    "setting": setting,
                }
            }
        )
    if not minimum <= number <= maximum:
        raise ValidationError(
            {
                name: gettext("Must be between %(minimum)s and %(maximum)s.")
                % {"minimum": minimum, "maximum": maximum}
            }
        )
    return number


def string_list(value, name: str) -> list[str]:
    if isinstance(value, str) or not all(isinstance(item, str) for item in value):
        raise ValidationError({name: gettext("Send a list of slugs.")})
    return list(value)
