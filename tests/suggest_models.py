"""Models for the suggestion tests: one whose facts fire every rule, and a small one."""

from __future__ import annotations

KITCHEN_SINK = """\
---
threatmodel: 1
id: kitchen-sink
title: Every fact a suggestion rule reads
owner: team-test
assets:
  - {id: pii, name: Customer PII, classification: confidential}
  - {id: card, name: Card payments, classification: restricted}
  - {id: vendor-key, name: Vendor API key, classification: confidential}
  - {id: records, name: Audit records, classification: internal}
boundaries:
  - {id: internet, name: Internet}
  - {id: vpc, name: Application VPC}
  - {id: data, name: Data subnets, inside: vpc}
  - {id: vendor, name: Vendor SaaS}
  - {id: ci, name: CI account, kind: account}
elements:
  - {id: user, name: Customer browser, type: external, boundary: internet}
  - {id: operator, name: Operator, type: external, boundary: internet}
  - {id: courier, name: Courier, type: external, boundary: vendor}
  - {id: psp, name: Stripe, type: external, boundary: vendor}
  - {id: llm-api, name: Hosted model, type: external, boundary: vendor, technology: OpenAI GPT-4o}
  - {id: idp, name: Okta, type: external, boundary: vendor}
  - {id: web, name: Web API, type: process, boundary: vpc, technology: Kubernetes,
      internet_facing: true}
  - {id: worker, name: Worker, type: process, boundary: vpc, technology: Kubernetes}
  - {id: admin, name: Admin console, type: process, boundary: vpc}
  - {id: agent, name: Support bot, type: process, boundary: vpc, technology: LLM agent}
  - {id: build, name: Build, type: process, boundary: ci, technology: GitHub Actions}
  - {id: sdk, name: Analytics, type: process, boundary: vpc, third_party: true}
  - {id: registry, name: Registry, type: process, boundary: vpc, technology: Consul}
  - {id: db, name: Orders, type: store, boundary: data, technology: PostgreSQL, assets: [pii, card,
      vendor-key]}
  - {id: queue, name: Jobs, type: store, boundary: vpc, technology: Amazon SQS}
  - {id: files, name: Labels, type: store, boundary: data, technology: S3 bucket}
  - {id: search, name: Search, type: store, boundary: data, technology: Elasticsearch}
  - {id: directory, name: Directory, type: store, boundary: data, technology: OpenLDAP}
  - {id: vault, name: Secrets, type: store, boundary: data, technology: HashiCorp Vault}
  - {id: audit, name: Audit trail, type: store, boundary: data, technology: audit log,
      assets: [records]}
  - {id: public-bucket, name: Exports, type: store, technology: S3, internet_facing: true,
      assets: [pii]}
  - {id: clerk, name: Clerk, type: external, boundary: internet, used_by_humans: true}
  - {id: legacy, name: Legacy forms, type: process, boundary: vpc, controls: [hardening]}
flows:
  - {id: f-get, from: user, to: web, label: "GET /orders/{id}", protocol: HTTP,
      authentication: none, data: [pii]}
  - {id: f-post, from: user, to: web, label: "POST /checkout", protocol: HTTPS,
      authentication: session, data: [card]}
  - {id: f-login, from: user, to: web, label: "POST /login", protocol: HTTPS,
      authentication: credentials, data: [pii]}
  - {id: f-upload, from: user, to: web, label: "POST /avatar upload", protocol: HTTPS,
      auth: session cookie}
  - {id: f-hook, from: courier, to: web, label: "POST /webhooks/shipping", protocol: HTTPS,
      description: XML body}
  - {id: f-enqueue, from: web, to: queue, label: Enqueue job, protocol: SQS SendMessage}
  - {id: f-consume, from: queue, to: worker, label: Consume job,
      protocol: "SQS (Java serialized objects)"}
  - {id: f-sql, from: web, to: db, label: SQL select and insert, protocol: PostgreSQL over TLS}
  - {id: f-read, from: db, to: worker, label: Read orders, protocol: PostgreSQL over TLS}
  - {id: f-files, from: web, to: files, label: PutObject label PDF, protocol: HTTPS}
  - {id: f-search, from: web, to: search, label: Query, protocol: HTTPS}
  - {id: f-ldap, from: web, to: directory, label: Bind, protocol: LDAPS}
  - {id: f-charge, from: web, to: psp, label: "POST /v1/charges", protocol: HTTPS,
      authentication: api-key, data: [card, vendor-key]}
  - {id: f-fetch, from: web, to: courier, label: Fetch image URL, protocol: HTTPS}
  - {id: f-admin, from: operator, to: admin, label: Admin dashboard, protocol: HTTPS,
      description: through the API gateway, authentication: two-factor, authorization: none}
  - {id: f-chat, from: user, to: agent, label: WebSocket chat, protocol: WSS, data: [pii]}
  - {id: f-llm, from: agent, to: llm-api, label: "POST /v1/messages", protocol: HTTPS, data: [pii]}
  - {id: f-tool, from: agent, to: worker, label: Tool call, protocol: gRPC over mTLS}
  - {id: f-secret, from: worker, to: vault, label: Read secret, protocol: HTTPS}
  - {id: f-audit, from: worker, to: audit, label: Append record, protocol: HTTPS}
  - {id: f-register, from: web, to: registry, label: Register, protocol: HTTPS}
  - {id: f-form, from: clerk, to: legacy, label: Submit form, encrypted: false, controls: []}
  - {id: f-page, from: legacy, to: clerk, label: Form page, encrypted: false, controls: []}
---

# Kitchen sink
"""

# The example: a lookup that enters the VPC from the internet without authentication.
SMALL = """\
---
threatmodel: 1
id: small
title: Order lookup
owner: team-test
assets:
  - {id: guest-pii, name: Guest PII, classification: confidential}
boundaries:
  - {id: internet, name: Internet}
  - {id: api-vpc, name: API VPC}
elements:
  - {id: browser, name: Browser, type: external, boundary: internet}
  - {id: api, name: Orders API, type: process, boundary: api-vpc}
flows:
  - {id: get-order, from: browser, to: api, label: "GET /orders/{id}", protocol: HTTPS, auth: none,
      data: [guest-pii]}
threats:
  - id: SM-001
    title: Lookup floods
    stride: [D]
    targets: [api]
    status: open
    ticket: T-1
---

# Small
"""

# The platform rules (TS049-TS063): facts of how it is built, deployed and reached, without a
# vault, a WAF, a developer client or any `controls`.
PLATFORM = """\
---
threatmodel: 1
id: platform
title: The facts the platform rules read
owner: team-test
assets:
  - {id: accounts, name: Customer accounts, classification: restricted,
      availability: critical}
  - {id: code, name: Source code, classification: internal, integrity: critical}
boundaries:
  - {id: net, name: Application network}
  - {id: dmz, name: Web zone, inside: net}
elements:
  - {id: customer, name: Customer, type: external, technology: browser, used_by_humans: true,
      internet_facing: true}
  - {id: dev, name: Developer, type: external, technology: desktop, used_by_humans: true,
      internet_facing: true}
  - {id: lb, name: Balancer, type: process, boundary: net, technology: load-balancer}
  - {id: shop, name: Shop, type: process, boundary: dmz, technology: web-server,
      machine: container, custom_developed: true, data_formats: [file], assets: [accounts]}
  - {id: cms, name: Pages, type: process, boundary: dmz, technology: cms}
  - {id: erp, name: Back office, type: process, boundary: net, technology: erp,
      assets: [accounts]}
  - {id: nfs, name: Contracts, type: store, boundary: net, technology: file-server,
      assets: [accounts]}
  - {id: pipeline, name: Builds, type: process, boundary: net, technology: build-pipeline,
      usage: devops, assets: [code]}
  - {id: repo, name: Code, type: process, boundary: net, technology: sourcecode-repository,
      usage: devops, assets: [code]}
flows:
  - {id: p-in, from: customer, to: lb, protocol: https, authentication: session,
      authorization: end-user, data: [accounts]}
  - {id: p-web, from: lb, to: shop, protocol: http, authentication: session,
      authorization: end-user, data: [accounts]}
  - {id: p-erp, from: shop, to: erp, protocol: https, authentication: token,
      authorization: technical-user, data: [accounts]}
  - {id: p-nfs, from: erp, to: nfs, protocol: nfs, encrypted: false, authentication: none,
      data: [accounts]}
  - {id: p-deploy, from: pipeline, to: shop, protocol: ssh, usage: devops,
      authentication: client-certificate}
  - {id: p-push, from: dev, to: repo, protocol: https, authentication: token, data: [code]}
---

# Platform
"""
