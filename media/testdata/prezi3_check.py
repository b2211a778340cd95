"""Validate IIIF Presentation 3 documents with iiif-prezi3's models.

iiif-prezi3 (IIIF's own Python library, PyPI) generates its models from
the official Presentation 3 JSON schema, so a document that loads into
them has the schema's structure. Loading alone is lenient about keys it
does not know, so the script also reports every key of the input that the
model did not keep.

usage: prezi3_check.py Manifest|Collection FILE...
exit 0 when every file is valid, 1 otherwise, with the reasons on stdout.
"""
import json
import sys

import iiif_prezi3


def dropped(src, kept, path="$"):
    """Keys present in src but absent from the model's dump."""
    out = []
    if isinstance(src, dict) and isinstance(kept, dict):
        for k, v in src.items():
            if k not in kept:
                out.append(f"{path}.{k}")
            else:
                out += dropped(v, kept[k], f"{path}.{k}")
    elif isinstance(src, list) and isinstance(kept, list):
        for i, (a, b) in enumerate(zip(src, kept)):
            out += dropped(a, b, f"{path}[{i}]")
    return out


def main():
    kind, files = sys.argv[1], sys.argv[2:]
    model = getattr(iiif_prezi3, kind)
    bad = 0
    for f in files:
        with open(f, encoding="utf-8") as fh:
            doc = json.load(fh)
        try:
            obj = model.model_validate(doc)
        except Exception as e:  # pydantic.ValidationError, with every reason
            print(f"{f}: INVALID {e}")
            bad += 1
            continue
        kept = json.loads(obj.jsonld() if hasattr(obj, "jsonld") else obj.model_dump_json(by_alias=True, exclude_unset=True))
        lost = [p for p in dropped(doc, kept) if not p.endswith("@context")]
        if lost:
            print(f"{f}: UNKNOWN KEYS {lost}")
            bad += 1
            continue
        print(f"{f}: ok")
    sys.exit(1 if bad else 0)


main()
