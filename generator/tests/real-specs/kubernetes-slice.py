#!/usr/bin/env python3
"""Write the slice of Kubernetes' Swagger 2.0 description vendored as kubernetes-slice.swagger.json.

Usage: kubernetes-slice.py FULL_SWAGGER_JSON OUT
Keeps the paths under the prefixes below (unchanged) and the definitions and parameters they
reach; everything else of the document (info, security, ...) is kept as it is.
"""
import json
import sys

PREFIXES = (
    "/api/v1/namespaces/{namespace}/pods",
    "/api/v1/namespaces/{namespace}/configmaps",
    "/apis/apps/v1/namespaces/{namespace}/deployments",
    "/version/",
)

full = json.load(open(sys.argv[1], encoding="utf-8"))
paths = {k: v for k, v in full["paths"].items() if k.startswith(PREFIXES)}
seen_defs, seen_params = set(), set()
todo = [paths]
while todo:
    v = todo.pop()
    if isinstance(v, dict):
        r = v.get("$ref")
        if isinstance(r, str) and r.startswith("#/definitions/"):
            name = r[len("#/definitions/"):]
            if name not in seen_defs:
                seen_defs.add(name)
                todo.append(full["definitions"][name])
        if isinstance(r, str) and r.startswith("#/parameters/"):
            name = r[len("#/parameters/"):]
            if name not in seen_params:
                seen_params.add(name)
                todo.append(full["parameters"][name])
        todo.extend(v.values())
    elif isinstance(v, list):
        todo.extend(v)
out = dict(full)
out["paths"] = paths
out["definitions"] = {k: v for k, v in full["definitions"].items() if k in seen_defs}
out["parameters"] = {k: v for k, v in full.get("parameters", {}).items() if k in seen_params}
with open(sys.argv[2], "w", encoding="utf-8") as f:
    json.dump(out, f, indent=1, ensure_ascii=False)
    f.write("\n")
