"""The model format, defined once: the validator, the JSON Schema and the field
reference are all made from these declarations."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

FORMAT_VERSION = 1
# The forms of a value. Each must match the whole value: the checker uses ``fullmatch``, and
# the JSON Schema's patterns end in ``$(?!\n)``, since ``$`` alone also matches before a final
# newline in Python's ``re`` (and so in jsonschema), while JavaScript's ends only at the end.
ID_FORM = r"[A-Za-z0-9][A-Za-z0-9._-]*"
DATE_FORM = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
DURATION_FORM = r"[1-9][0-9]*[dw]"
# A review's date may carry the time of day, so that two reviews on one day are two values:
# 2026-11-30T14:05, with seconds, and with Z or an offset when the writer says which zone.
TIME_FORM = r"T[0-9]{2}:[0-9]{2}(?::[0-9]{2})?(?:Z|[+-][0-9]{2}:[0-9]{2})?"
MOMENT_FORM = DATE_FORM + f"(?:{TIME_FORM})?"


def whole(form: str) -> str:
    """A JSON Schema pattern that matches only whole values of ``form``."""
    return rf"^(?:{form})$(?!\n)"


ID_PATTERN, DATE_PATTERN, DURATION_PATTERN = whole(ID_FORM), whole(DATE_FORM), whole(DURATION_FORM)
# The JSON Schema has no format for a date with an optional time: the time's form spells
# out the ranges of months, days, hours and minutes instead.
_DAY_FORM = r"[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])"
_CLOCK_FORM = r"T(?:[01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9])?(?:Z|[+-][0-9]{2}:[0-9]{2})?"
DAY_TIME_PATTERN = whole(_DAY_FORM + _CLOCK_FORM)
_ID = re.compile(ID_FORM)


def is_id(value: object) -> bool:
    """Whether ``value`` is an id of the format (the whole of it)."""
    return isinstance(value, str) and _ID.fullmatch(value) is not None

LEVELS = ("low", "medium", "high", "critical")
MODEL_STATUSES = ("draft", "active", "retired")
ELEMENT_TYPES = ("external", "process", "store")
THREAT_STATUSES = ("untriaged", "open", "mitigating", "mitigated", "accepted", "transferred",
                   "not-applicable")
OPEN_STATUSES = ("open", "mitigating")  # the threats still to be dealt with
UNTRIAGED = "untriaged"  # found (by a rule or an import), not yet judged by a person
MITIGATION_STATUSES = ("planned", "in-progress", "implemented", "verified")
IMPLEMENTED_STATUSES = ("implemented", "verified")  # a mitigation that is in place
ASSUMPTION_STATUSES = ("assumed", "confirmed", "invalid")
BOUNDARY_KINDS = ("network", "execution", "account", "physical")
# TM302 asks for a threat on flows that cross these kinds of boundary; an execution boundary
# (a sandbox or container on the same network) alone does not demand one.
CROSSING_KINDS = ("network", "account", "physical")
AUTHENTICATIONS = ("none", "credentials", "api-key", "session", "token", "client-certificate",
                   "signature", "two-factor", "externalized")
AUTHORIZATIONS = ("none", "technical-user", "end-user", "role-based")
CIA = ("C", "I", "A")
CIA_NAMES = {"C": "confidentiality", "I": "integrity", "A": "availability"}
DEFAULT_CLASSIFICATIONS = ("public", "internal", "confidential", "restricted")
# Whether a flow is encrypted in transit, by its protocol, when 'encrypted' is not given. A
# protocol is read as words: any encrypted word makes it encrypted ("PostgreSQL over TLS"),
# else any plain word makes it plain ("HTTP"); a protocol with none of them stays unknown.
ENCRYPTED_PROTOCOLS = ("https", "tls", "mtls", "ssh", "sftp", "ftps", "wss", "smtps", "imaps",
                       "ldaps", "grpcs", "ipsec", "wireguard", "vpn", "sigv4")
PLAIN_PROTOCOLS = ("http", "ldap", "jdbc", "ftp", "smtp", "amqp", "telnet", "ws", "mqtt",
                   "grpc", "resp", "tcp", "udp", "dns", "nfs", "smb")
# Draft models report these (ownership, ticket, rating) as notes, not errors.
DRAFT_RELAXED = ("TM401", "TM402", "TM409")
TARGET_NAMES = {"external": "external entity", "process": "process", "store": "data store",
                "flow": "data flow"}  # what a threat's target is, in words
ACCEPTANCE_WARNING_DAYS = 30  # an acceptance expiring this soon is flagged (TM405)
STRIDE = ("S", "T", "R", "I", "D", "E")


# The controls in place on an element or a flow, as a vocabulary that rules read. A model
# that lists an element's (or a flow's) ``controls`` says that those are in place and the
# others are not; without the key nothing is assumed, and the rules that ask for a missing
# control stay silent. pytm's controls and Threagile's attributes map onto these (the
# importers), and the words people write map onto them as TM103 hints (CONTROL_SYNONYMS).
CONTROLS = {
    "input-validation": "Input is checked against what is allowed (type, length, format, "
    "range) before it is used.",
    "input-sanitization": "Input is cleaned or neutralised (dangerous characters escaped or "
    "removed) before it reaches an interpreter.",
    "input-bounds-checking": "Sizes and counts of input are checked before buffers or loops "
    "use them.",
    "output-encoding": "Output is encoded for where it goes (HTML, JavaScript, URL, shell).",
    "parameterized-queries": "Queries and commands are built with parameters, never by "
    "concatenating input.",
    "header-validation": "HTTP headers are validated.",
    "header-encoding": "HTTP headers written from data are encoded (no CR/LF injection).",
    "content-type-validation": "The declared content type is checked against what is "
    "accepted.",
    "script-filtering": "Script content in input is filtered.",
    "strict-http-parsing": "HTTP is parsed strictly (no ambiguous lengths or duplicate "
    "headers), the same way by every hop.",
    "server-side-validation": "Values the client sends (prices, roles, states) are checked or "
    "recomputed on the server.",
    "xml-dtd-disabled": "XML parsers reject DTDs and external entities.",
    "safe-deserialization": "Untrusted data is never deserialised into arbitrary objects "
    "(an allowlist of types, or a data-only format).",
    "file-validation": "Uploaded or received files are checked (type by content, size, "
    "malware scan) before use.",
    "anti-framing": "Pages cannot be framed by other sites (frame-ancestors, X-Frame-Options).",
    "secure-functions": "Unsafe library functions are banned (bounded copies, safe APIs).",
    "access-control": "Every request is checked against what the caller may do.",
    "source-authorization": "The receiver decides what the sender may do.",
    "source-authentication": "The receiver proves who the sender is.",
    "destination-authentication": "The sender proves who the receiver is (certificate "
    "checks, pinning).",
    "revocation-checking": "Revoked certificates or tokens are rejected.",
    "authentication-scheme": "A standard authentication scheme is implemented (not a home-made "
    "one).",
    "multi-factor-authentication": "People sign in with a second factor.",
    "strong-session-ids": "Session identifiers are long, random and rotated at sign-in.",
    "session-id-verification": "Session identifiers are verified on every request.",
    "csrf-tokens": "State-changing requests carry an anti-CSRF token (or SameSite cookies).",
    "nonces": "Messages carry nonces or timestamps, so a captured one cannot be replayed.",
    "cookie-encryption": "Cookies are encrypted or signed, and marked Secure and HttpOnly.",
    "session-encryption": "Session data is encrypted.",
    "connection-timeouts": "Connections and sessions time out.",
    "rate-limiting": "Requests are rate-limited per caller.",
    "resource-limits": "Resource consumption (memory, CPU, queue depth, storage) is bounded.",
    "resilience": "It keeps serving when parts fail (redundancy, failover, back-pressure).",
    "crash-handling": "Crashes are handled without leaking state or staying down.",
    "least-privilege": "It runs with the least privilege it needs.",
    "hardening": "It is hardened (configuration baseline, patched, needless services off).",
    "network-segmentation": "It sits in a network segment of its own, reachable only by what "
    "needs it.",
    "waf": "A web application firewall filters its traffic.",
    "encryption-at-rest": "Data it stores is encrypted at rest.",
    "strong-encryption": "Encryption uses current algorithms and key lengths (AES, RSA "
    "with sound parameters).",
    "confidentiality-protection": "Data it handles is kept confidential (encrypted or "
    "withheld end to end).",
    "integrity-protection": "Data it handles carries integrity protection (signatures, MACs).",
    "audit-logging": "Security-relevant actions are logged where they cannot be altered.",
    "execution-tracking": "Execution flow is tracked (tracing, monitoring).",
    "secrets-vault": "Its secrets come from a vault or secrets manager, not from files or "
    "code.",
    "signed-artifacts": "What it runs or deploys is signed and the signature checked.",
    "reviewed-code": "Changes to its code are reviewed before they are merged.",
    "content-filtering": "Model input and output are filtered (LLM guardrails).",
    "tool-call-validation": "An agent's tool calls are checked before they run.",
}
CONTROL_SYNONYMS = {
    "validation": "input-validation", "validates-input": "input-validation",
    "validatesinput": "input-validation", "sanitization": "input-sanitization",
    "sanitisation": "input-sanitization", "input-sanitisation": "input-sanitization",
    "sanitizesinput": "input-sanitization", "checksinputbounds": "input-bounds-checking",
    "encodesoutput": "output-encoding", "output-escaping": "output-encoding",
    "usesparameterizedinput": "parameterized-queries",
    "parameterised-queries": "parameterized-queries", "prepared-statements":
    "parameterized-queries", "validatesheaders": "header-validation",
    "encodesheaders": "header-encoding", "validatescontenttype": "content-type-validation",
    "invokesscriptfilters": "script-filtering",
    "implementsstricthttpvalidation": "strict-http-parsing",
    "implementsserversidevalidation": "server-side-validation", "disablesdtd":
    "xml-dtd-disabled", "disablesiframes": "anti-framing", "usessecurefunctions":
    "secure-functions", "hasaccesscontrol": "access-control", "authorization":
    "source-authorization", "authorizessource": "source-authorization",
    "authentication": "source-authentication", "authenticatessource": "source-authentication",
    "authenticatesdestination": "destination-authentication",
    "checksdestinationrevocation": "revocation-checking",
    "implementsauthenticationscheme": "authentication-scheme", "mfa":
    "multi-factor-authentication", "2fa": "multi-factor-authentication", "usesmfa":
    "multi-factor-authentication", "usesstrongsessionidentifiers": "strong-session-ids",
    "verifysessionidentifiers": "session-id-verification", "csrf": "csrf-tokens",
    "implementscsrftoken": "csrf-tokens", "implementsnonce": "nonces", "encryptscookies":
    "cookie-encryption", "encryptssessiondata": "session-encryption",
    "definesconnectiontimeout": "connection-timeouts", "throttling": "rate-limiting",
    "rate-limit": "rate-limiting", "handlesresourceconsumption": "resource-limits",
    "isresilient": "resilience", "redundancy": "resilience", "handlescrashes":
    "crash-handling", "implementspolp": "least-privilege", "polp": "least-privilege",
    "ishardened": "hardening", "hardened": "hardening", "segmentation":
    "network-segmentation", "web-application-firewall": "waf", "isencryptedatrest":
    "encryption-at-rest", "providesconfidentiality": "confidentiality-protection",
    "providesintegrity": "integrity-protection", "audit-log": "audit-logging",
    "logging": "audit-logging", "tracksexecutionflow": "execution-tracking", "vault":
    "secrets-vault", "secrets-manager": "secrets-vault", "code-signing": "signed-artifacts",
    "usescodesigning": "signed-artifacts", "signed-artefacts": "signed-artifacts",
    "code-review": "reviewed-code", "guardrails": "content-filtering",
}
MACHINES = ("physical", "virtual", "container", "serverless")
DATA_FORMATS = ("json", "xml", "serialization", "file", "csv", "yaml", "text")
USAGES = ("business", "devops")
# What an element is built with, as a vocabulary: each kind with the words people write for
# it. ``technology`` stays free text ("PostgreSQL 16"); rules read its kind, found by looking
# the whole value up (versions and a vendor prefix dropped), never by a word inside it.
TECHNOLOGIES: dict[str, tuple[str, ...]] = {
    "browser": ("web-browser", "web browser", "chrome", "firefox", "safari", "edge"),
    "desktop": ("desktop-app", "desktop app", "desktop application", "electron"),
    "mobile-app": ("mobile", "mobile app", "ios app", "android app", "ios", "android"),
    "devops-client": ("developer workstation", "git client", "cli client", "ide"),
    "client-system": ("client", "client system", "workstation"),
    "web-server": ("webserver", "apache", "apache httpd", "httpd", "nginx", "iis", "caddy",
                   "web server"),
    "web-application": ("webapp", "web app", "web application", "spa", "django", "rails",
                        "flask", "spring", "spring boot", "express", "next.js", "react",
                        "angular", "vue", "php", "asp.net", "frontend"),
    "application-server": ("app server", "tomcat", "jboss", "wildfly", "weblogic",
                           "websphere", "application server", "jetty"),
    "web-service-rest": ("rest", "rest api", "restful api", "api", "http api", "web api",
                         "json api", "graphql", "grpc", "fastapi", "microservice", "service"),
    "web-service-soap": ("soap", "soap service", "wsdl service"),
    "ejb": ("enterprise java bean",),
    "database": ("db", "sql", "postgresql", "postgres", "mysql", "mariadb", "oracle",
                 "oracle database", "mssql", "sql server", "sqlite", "aurora", "rds",
                 "mongodb", "mongo", "dynamodb", "cassandra", "couchdb", "cosmos db",
                 "cosmosdb", "firestore", "nosql", "redis", "memcached", "relational database",
                 "sql database", "aws rds"),
    "file-server": ("fileserver", "file server", "nfs", "smb", "ftp server", "sftp server",
                    "s3", "amazon s3", "bucket", "blob storage", "azure blob storage", "gcs",
                    "object storage", "efs", "minio"),
    "local-file-system": ("filesystem", "file system", "disk", "local disk"),
    "block-storage": ("ebs", "block storage", "san"),
    "erp": ("erp system", "sap"),
    "cms": ("content management system", "wordpress", "drupal", "joomla"),
    "search-index": ("elasticsearch", "opensearch", "solr", "lucene", "search index",
                     "algolia", "meilisearch"),
    "search-engine": ("search engine",),
    "service-registry": ("consul", "eureka", "etcd", "zookeeper", "service discovery"),
    "reverse-proxy": ("proxy", "envoy", "traefik", "haproxy", "varnish", "ingress",
                      "reverse proxy", "cdn", "cloudfront", "cloudflare", "akamai", "fastly"),
    "load-balancer": ("load balancer", "alb", "elb", "nlb", "aws alb", "aws elb"),
    "gateway": ("api gateway", "api-gateway", "kong", "apigee", "aws api gateway"),
    "waf": ("web application firewall", "aws waf", "modsecurity"),
    "ids": ("intrusion detection system",),
    "ips": ("intrusion prevention system",),
    "build-pipeline": ("ci", "ci/cd", "jenkins", "github actions", "gitlab ci", "circleci",
                       "buildkite", "teamcity", "azure pipelines", "build server",
                       "argo cd", "argocd", "pipeline"),
    "sourcecode-repository": ("git", "git repository", "github", "gitlab", "bitbucket",
                              "source code repository", "scm", "gitea"),
    "artifact-registry": ("artifactory", "nexus", "container registry", "docker registry",
                          "ecr", "npm registry", "pypi", "artifact repository"),
    "code-inspection-platform": ("sonarqube", "code scanner", "sast"),
    "monitoring": ("prometheus", "grafana", "datadog", "splunk", "siem", "elk", "logging",
                   "log aggregator", "new relic", "cloudwatch"),
    "ldap-server": ("ldap", "openldap", "active directory", "ldap directory"),
    "identity-provider": ("idp", "identity provider", "okta", "auth0", "keycloak",
                          "cognito", "aws cognito", "entra id", "azure ad", "oidc provider",
                          "sso", "oauth server", "authorization server"),
    "identity-store-ldap": ("ldap identity store",),
    "identity-store-database": ("identity database", "user database"),
    "container-platform": ("kubernetes", "k8s", "eks", "gke", "aks", "openshift", "docker",
                           "ecs", "nomad", "docker swarm"),
    "function": ("lambda", "aws lambda", "serverless function", "cloud function",
                 "cloud functions", "azure functions", "azure function", "faas"),
    "batch-processing": ("batch job", "cron job", "batch"),
    "scheduler": ("cron", "airflow"),
    "event-listener": ("event consumer", "webhook receiver", "listener"),
    "message-queue": ("queue", "sqs", "aws sqs", "kafka", "rabbitmq", "activemq", "amqp broker",
                      "pubsub", "pub/sub", "google pub/sub", "service bus", "nats", "kinesis",
                      "event hub", "eventbridge", "jms", "mq", "message broker"),
    "stream-processing": ("flink", "spark streaming", "kafka streams"),
    "service-mesh": ("istio", "linkerd"),
    "data-lake": ("datalake", "data warehouse", "snowflake", "bigquery", "redshift"),
    "big-data-platform": ("hadoop", "spark", "databricks"),
    "report-engine": ("reporting", "report server"),
    "ai": ("llm", "large language model", "language model", "ai model", "ml model", "gpt",
           "openai", "claude", "gemini", "bedrock", "llm agent", "ai agent", "agent",
           "chatbot", "assistant", "copilot"),
    "mail-server": ("smtp", "smtp server", "mail", "email server", "exchange", "ses",
                    "sendgrid"),
    "vault": ("hashicorp vault", "secrets manager", "aws secrets manager", "key vault",
              "azure key vault", "kms", "aws kms", "parameter store", "secret store"),
    "hsm": ("hardware security module",),
    "iot-device": ("iot", "sensor", "embedded device"),
    "mainframe": ("z/os",),
    "cli": ("command line", "command-line tool"),
    "tool": ("script",),
    "task": ("job",),
    "library": ("sdk", "package", "module"),
    "payment-provider": ("stripe", "paypal", "adyen", "braintree", "psp", "klarna",
                         "payment processor", "payment gateway"),
}


def _technology_index() -> dict[str, str]:
    index = {}
    for kind, names in TECHNOLOGIES.items():
        index[kind] = kind
        for name in names:
            index.setdefault(name, kind)
    return index


_TECHNOLOGY_INDEX = _technology_index()
_VERSION = re.compile(r"(?:\s+v?[0-9][0-9.x]*)+$|\s*\([^)]*\)$")
_VENDOR = re.compile(r"^(?:aws|amazon|azure|microsoft|google|gcp|google cloud|apache|oracle)\s+")


def technology_kind(value: str | None) -> str | None:
    """The vocabulary's kind of a ``technology`` value, or ``None`` when it is not known.

    The whole value is looked up, lower-cased, with a trailing version ("PostgreSQL 16",
    "nginx 1.25") or a trailing parenthesis dropped, then without a vendor's name ("Amazon
    S3"): "web-service-rest" is a REST service
    and never a browser, however its words read.
    """
    if not value:
        return None
    key = " ".join(value.lower().replace("_", "-").split())
    bare = _VERSION.sub("", key)
    for candidate in (key, bare, _VENDOR.sub("", bare)):
        if candidate in _TECHNOLOGY_INDEX:
            return _TECHNOLOGY_INDEX[candidate]
    return None


@dataclass(frozen=True)
class Type:
    """A value type of the format."""

    name: str  # text, glob, id, date, moment, duration, enum, version, bool, list, map, object
    values: tuple = ()
    item: Type | None = None
    fields: dict[str, Field] = field(default_factory=dict)
    synonyms: dict[str, str] = field(default_factory=dict)  # word people write -> the value

    @property
    def item_type(self) -> Type:
        """A list's or a map's item type (made by :func:`list_of` and :func:`map_of`)."""
        if self.item is None:
            raise TypeError(f"a {self.name} type has no item type")
        return self.item

    def describe(self) -> str:
        if self.name == "enum":
            return ", ".join(f"`{v}`" for v in self.values)
        if self.name == "list":
            item = self.item_type
            return f"list of {item.describe() if item.name != 'object' else 'mappings'}"
        if self.name == "map":
            return "mapping of target id to mapping"
        if self.name == "object":
            return "mapping"
        return {"text": "text", "glob": "glob", "id": "id (slug)", "date": "date (YYYY-MM-DD)",
                "moment": "date (YYYY-MM-DD), or date and time (YYYY-MM-DDTHH:MM)",
                "duration": "duration (Nd or Nw)", "version": "integer (1)",
                "bool": "true or false"}[self.name]


@dataclass(frozen=True)
class Field:
    """One key of a mapping: its type, whether it is required, its default and meaning."""

    type: Type
    doc: str
    required: bool = False
    default: Any = None


TEXT, ID, DATE, DURATION = Type("text"), Type("id"), Type("date"), Type("duration")
MOMENT = Type("moment")
BOOL = Type("bool")
GLOB = Type("glob")


def enum(*values: str, synonyms: dict[str, str] | None = None) -> Type:
    return Type("enum", values=values, synonyms=synonyms or {})


def list_of(item: Type) -> Type:
    return Type("list", item=item)


def map_of(item: Type) -> Type:
    """A mapping from ids (keys the author chooses) to values of ``item``."""
    return Type("map", item=item)


def obj(**fields: Field) -> Type:
    return Type("object", fields={k.rstrip("_"): v for k, v in fields.items()})


# Words people write for a value, mapped to the value they mean (the hint of TM103). Each
# table belongs to one field: "in-progress" is a mitigation status, but a threat's is
# "mitigating".
LEVEL_SYNONYMS = {"very-high": "critical", "very high": "critical", "veryhigh": "critical",
                  "severe": "critical", "highest": "critical", "moderate": "medium",
                  "med": "medium", "mid": "medium", "minor": "low", "very-low": "low",
                  "very low": "low", "lowest": "low", "major": "high"}
STRIDE_SYNONYMS = {"spoofing": "S", "tampering": "T", "repudiation": "R",
                   "information disclosure": "I", "information-disclosure": "I",
                   "disclosure": "I", "denial of service": "D", "denial-of-service": "D",
                   "dos": "D", "elevation of privilege": "E", "elevation-of-privilege": "E",
                   "elevation of privileges": "E", "privilege elevation": "E",
                   "privilege escalation": "E", "escalation": "E", "info disclosure": "I",
                   "information leak": "I", "spoof": "S", "tamper": "T"}
THREAT_STATUS_SYNONYMS = {"in-progress": "mitigating", "in progress": "mitigating",
                          "wip": "mitigating", "fixed": "mitigated", "done": "mitigated",
                          "resolved": "mitigated", "n/a": "not-applicable",
                          "na": "not-applicable", "false-positive": "not-applicable",
                          "risk-accepted": "accepted", "new": "untriaged",
                          "unchecked": "untriaged", "triage": "untriaged", "todo": "open"}
MITIGATION_STATUS_SYNONYMS = {"mitigating": "in-progress", "wip": "in-progress",
                              "in progress": "in-progress", "todo": "planned",
                              "proposed": "planned", "done": "implemented",
                              "resolved": "implemented", "tested": "verified"}
LEVEL = enum(*LEVELS, synonyms=LEVEL_SYNONYMS)
TAGS = Field(list_of(TEXT), "Free labels, for anything the format has no key for.", default=[])

CONTROLS_FIELD = Field(
    list_of(enum(*CONTROLS, synonyms=CONTROL_SYNONYMS)),
    "Controls in place, from the vocabulary under 'Controls'. Listing them says the others "
    "are not in place, which suggestion rules read; without the key nothing is assumed.")
ASSET = obj(
    id=Field(ID, "Asset id, unique in the model.", required=True),
    name=Field(TEXT, "Human name of the asset.", required=True),
    impact=Field(LEVEL, "Impact if the asset is compromised; ranks assets."),
    description=Field(TEXT, "What the asset is and why it matters."),
    classification=Field(TEXT, "Data classification, one of the ordered list in "
                         "`.threatmodel.yaml` (default: public, internal, confidential, "
                         "restricted)."),
    confidentiality=Field(LEVEL, "How much losing its confidentiality would hurt."),
    integrity=Field(LEVEL, "How much losing its integrity would hurt."),
    availability=Field(LEVEL, "How much losing its availability would hurt."),
    tags=TAGS,
)
BOUNDARY = obj(
    id=Field(ID, "Boundary id, unique in the model.", required=True),
    name=Field(TEXT, "Human name of the trust boundary.", required=True),
    inside=Field(ID, "Id of the boundary that contains this one (nesting)."),
    description=Field(TEXT, "What changes at this boundary."),
    kind=Field(enum(*BOUNDARY_KINDS), "What separates the two sides: a network, an execution "
               "environment (sandbox, container), an account or tenant, or a physical "
               "boundary. Flows crossing an execution boundary alone need no threat (TM302).",
               default="network"),
    tags=TAGS,
)
ELEMENT = obj(
    id=Field(ID, "Element id, unique in the model.", required=True),
    name=Field(TEXT, "Human name shown in the diagram.", required=True),
    type=Field(enum(*ELEMENT_TYPES), "external entity, process or data store.", required=True),
    boundary=Field(ID, "Id of the innermost trust boundary the element sits in; none means "
                   "outside every boundary."),
    assets=Field(list_of(ID), "Ids of assets the element holds or handles.", default=[]),
    description=Field(TEXT, "What the element is."),
    technology=Field(TEXT, "What it is built with or runs on, such as 'PostgreSQL 16', "
                     "'AWS Lambda' or 'LLM agent'; rules read its kind from the vocabulary "
                     "under 'Technologies'."),
    internet_facing=Field(BOOL, "Whether the internet reaches it directly.", default=False),
    third_party=Field(BOOL, "Whether another organisation builds or runs it.", default=False),
    owner=Field(TEXT, "Who runs the element, when not the model's owner."),
    out_of_scope=Field(TEXT, "Why the element is out of scope; it is then shown but exempt "
                       "from TM302 and TM303."),
    controls=CONTROLS_FIELD,
    machine=Field(enum(*MACHINES), "What it runs on: a physical machine, a virtual one, a "
                  "container or a serverless platform."),
    data_formats=Field(list_of(enum(*DATA_FORMATS)), "The data formats it accepts as input: "
                       "JSON, XML, serialised objects, files, CSV, YAML, text."),
    multi_tenant=Field(BOOL, "Whether it serves several tenants (customers, teams) at once."),
    redundant=Field(BOOL, "Whether it runs redundantly (a failure of one instance does not "
                    "stop it)."),
    custom_developed=Field(BOOL, "Whether parts of it are developed in-house (not only "
                           "configured)."),
    used_by_humans=Field(BOOL, "Whether people use it directly (a browser, a client, a "
                         "console)."),
    usage=Field(enum(*USAGES), "Whether it serves the business or development and operations "
                "(build, deploy, monitor).", default="business"),
    tags=TAGS,
)
FLOW = obj(
    id=Field(ID, "Flow id, unique in the model.", required=True),
    from_=Field(ID, "Id of the element the data leaves.", required=True),
    to=Field(ID, "Id of the element the data reaches.", required=True),
    label=Field(TEXT, "Arrow label, such as 'GET /orders/{id}'."),
    protocol=Field(TEXT, "Transport, such as HTTPS or AMQP."),
    auth=Field(TEXT, "How the sender is authenticated ('none' when it is not)."),
    data=Field(list_of(ID), "Ids of assets the flow carries (sent).", default=[]),
    returns=Field(list_of(ID), "Ids of assets that come back on the same connection "
                  "(received).", default=[]),
    description=Field(TEXT, "What the flow is for."),
    encrypted=Field(BOOL, "Whether the flow is encrypted in transit. When not given it is "
                    "derived from 'protocol' (see the table under 'Flows: encryption')."),
    authentication=Field(enum(*AUTHENTICATIONS), "How the sender is authenticated, from a "
                         "small vocabulary that rules can read."),
    authorization=Field(enum(*AUTHORIZATIONS), "How the receiver decides what the sender "
                        "may do."),
    controls=CONTROLS_FIELD,
    vpn=Field(BOOL, "Whether the flow runs through a VPN."),
    ip_filtered=Field(BOOL, "Whether the receiver accepts the flow only from known addresses."),
    read_only=Field(BOOL, "Whether the flow only reads (the receiver changes nothing)."),
    usage=Field(enum(*USAGES), "Whether the flow serves the business or development and "
                "operations (deployments, administration).", default="business"),
    tags=TAGS,
)
ACCEPTANCE = obj(
    by=Field(TEXT, "Who accepted the residual risk."),
    date=Field(DATE, "When the risk was accepted."),
    expires=Field(DATE, "When the acceptance lapses and must be renewed."),
    rationale=Field(TEXT, "Why the risk is acceptable."),
)
MITIGATION = obj(
    id=Field(ID, "Mitigation id, unique in the model; threats, tickets and tests cite it.",
             required=True),
    title=Field(TEXT, "One line naming the control.", required=True),
    status=Field(enum(*MITIGATION_STATUSES, synonyms=MITIGATION_STATUS_SYNONYMS),
                 "Where the control stands.", default="planned"),
    owner=Field(TEXT, "Who owns the control.", default="the model's owner"),
    ticket=Field(TEXT, "Tracker id or URL."),
    tests=Field(list_of(TEXT), "Repository paths of tests that prove the control; each should "
                "mention the mitigation's id or the id of a threat it closes.", default=[]),
    description=Field(TEXT, "What the control does."),
    tags=TAGS,
)
ASSUMPTION = obj(
    id=Field(ID, "Assumption id, unique in the model.", required=True),
    text=Field(TEXT, "What is assumed to hold.", required=True),
    owner=Field(TEXT, "Who checks that it still holds.", default="the model's owner"),
    revisit=Field(DATE, "When to check it again."),
    status=Field(enum(*ASSUMPTION_STATUSES), "'invalid' flags every threat resting on it.",
                 default="assumed"),
    tags=TAGS,
)
HURT = obj(
    asset=Field(ID, "Id of an asset the threat hurts.", required=True),
    cia=Field(list_of(enum(*CIA)), "Which of its confidentiality (C), integrity (I) and "
              "availability (A).", default=[]),
)
PER_TARGET = obj(
    status=Field(enum(*THREAT_STATUSES, synonyms=THREAT_STATUS_SYNONYMS),
                 "This target's status, when it differs from the threat's."),
    likelihood=Field(LEVEL, "This target's likelihood."),
    impact=Field(LEVEL, "This target's impact."),
    ticket=Field(TEXT, "This target's ticket."),
    mitigations=Field(list_of(ID), "Ids of the mitigations that close it on this target.",
                      default=[]),
    rationale=Field(TEXT, "Why this target differs (or why it does not apply)."),
)
THREAT = obj(
    id=Field(ID, "Threat id, unique in the repository; tickets and tests cite it.",
             required=True),
    title=Field(TEXT, "One line naming the threat.", required=True),
    stride=Field(list_of(enum(*STRIDE, synonyms=STRIDE_SYNONYMS)), "STRIDE letters: S T R I D "
                 "E.", required=True),
    targets=Field(list_of(ID), "Ids of the elements or flows the threat is about.",
                  required=True),
    story=Field(TEXT, "The abuse story, in the attacker's words."),
    likelihood=Field(LEVEL, "How likely the attack is."),
    impact=Field(LEVEL, "How bad it is if it succeeds."),
    status=Field(enum(*THREAT_STATUSES, synonyms=THREAT_STATUS_SYNONYMS),
                 "Where the threat stands; 'untriaged' for a candidate no one has judged yet.",
                 default="open"),
    owner=Field(TEXT, "Who owns the threat.", default="the model's owner"),
    ticket=Field(TEXT, "Tracker id (HC-142) or URL."),
    mitigation=Field(TEXT, "What was or will be done about it, in words."),
    mitigations=Field(list_of(ID), "Ids of the model's mitigations that address it.",
                      default=[]),
    assumptions=Field(list_of(ID), "Ids of the assumptions it rests on; a 'not-applicable' "
                      "threat may cite one instead of a rationale.", default=[]),
    hurts=Field(list_of(HURT), "The assets it hurts, and which of C, I and A.", default=[]),
    per_target=Field(map_of(PER_TARGET), "Status and rating of single targets, keyed by "
                     "target id, where they differ from the threat's."),
    severity=Field(LEVEL, "An explicit rating, when likelihood x impact is unknown or wrong; "
                   "needs 'severity_reason'."),
    severity_reason=Field(TEXT, "Why the explicit severity."),
    cvss=Field(TEXT, "A CVSS 3.1 or 4.0 vector, such as 'CVSS:3.1/AV:N/AC:L/...'; its base "
               "score is shown."),
    tests=Field(list_of(TEXT), "Repository paths of tests that prove the mitigation; each "
                "should mention the threat id.", default=[]),
    acceptance=Field(ACCEPTANCE, "Signed-off residual risk, for status 'accepted'."),
    rationale=Field(TEXT, "Why the threat does not apply, for status 'not-applicable'."),
    references=Field(list_of(TEXT), "Links: CWE, CAPEC, advisories.", default=[]),
    tags=TAGS,
)
DISMISSAL = obj(
    rule=Field(TEXT, "Code of the suggestion rule (`threatmodel suggest`), such as TS001.",
               required=True),
    target=Field(ID, "Id of the element or flow the suggestion is about.", required=True),
    rationale=Field(TEXT, "Why the suggestion does not apply here.", required=True),
)
REVIEW = obj(
    date=Field(MOMENT, "Date of the last review, optionally with its time of day "
               "(`2026-11-30T14:05`; seconds, and `Z` or an offset such as `+01:00`, may "
               "follow). `threatmodel review` writes today's date, and adds the time when "
               "the model already records a review on that day by the same person, so that "
               "every review is a new value: staleness counts from the commit that recorded "
               "the value the model has now (`--date` is written as given).", required=True),
    by=Field(TEXT, "Who reviewed."),
)
SCOPE = obj(
    in_=Field(list_of(TEXT), "What the model covers.", default=[]),
    out=Field(list_of(TEXT), "Neighbours deliberately left out.", default=[]),
)
MODEL = obj(
    threatmodel=Field(Type("version"), "Format version; must be 1.", required=True),
    id=Field(ID, "Model id, unique in the repository.", required=True),
    title=Field(TEXT, "Title of the model.", required=True),
    owner=Field(TEXT, "Default owner of the model's threats."),
    status=Field(enum(*MODEL_STATUSES), "Lifecycle of the model.", default="active"),
    reviewed=Field(REVIEW, "The last recorded review."),
    review_every=Field(DURATION, "How often the model must be reviewed, e.g. 180d or 26w."),
    covers=Field(list_of(GLOB), "Globs of repository paths the model describes, as in "
                 "CODEOWNERS (docs/covers.md).",
                 default=[]),
    adrs=Field(list_of(TEXT), "ADR files the model rests on, relative to the model file.",
               default=[]),
    scope=Field(SCOPE, "What is in and out of scope."),
    assets=Field(list_of(ASSET), "What is worth protecting.", default=[]),
    boundaries=Field(list_of(BOUNDARY), "Trust boundaries, nested with 'inside'.", default=[]),
    elements=Field(list_of(ELEMENT), "External entities, processes and data stores.",
                   default=[]),
    flows=Field(list_of(FLOW), "Data flows between elements.", default=[]),
    threats=Field(list_of(THREAT), "STRIDE threats.", default=[]),
    mitigations=Field(list_of(MITIGATION), "Controls, each closing one or more threats.",
                      default=[]),
    assumptions=Field(list_of(ASSUMPTION), "What the model takes as given.", default=[]),
    dismissed=Field(list_of(DISMISSAL), "Suggestions (`threatmodel suggest`) judged not to "
                    "apply, each with its rule, target and rationale.", default=[]),
    tags=TAGS,
)


def json_schema() -> dict:
    """The format as a JSON Schema (draft-07) of the front matter."""
    schema = _schema(MODEL)
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": "https://mkdocs-threatmodel.invalid/schema/threatmodel-1.json",
        "title": "Threat model front matter (format 1)",
        **schema,
    }


def _schema(t: Type) -> dict:
    if t.name in ("text", "glob"):
        return {"type": "string"}
    if t.name == "id":
        return {"type": "string", "pattern": ID_PATTERN}
    if t.name == "date":
        return {"type": "string", "pattern": DATE_PATTERN, "format": "date"}
    if t.name == "moment":
        return {"type": "string", "anyOf": [{"pattern": DATE_PATTERN, "format": "date"},
                                            {"pattern": DAY_TIME_PATTERN}]}
    if t.name == "duration":
        return {"type": "string", "pattern": DURATION_PATTERN}
    if t.name == "version":
        return {"type": "integer", "const": FORMAT_VERSION}
    if t.name == "bool":
        return {"type": "boolean"}
    if t.name == "map":
        return {"type": "object", "propertyNames": {"pattern": ID_PATTERN},
                "additionalProperties": _schema(t.item_type)}
    if t.name == "enum":
        return {"type": "string", "enum": list(t.values)}
    if t.name == "list":
        return {"type": "array", "items": _schema(t.item_type)}
    properties = {}
    for name, f in t.fields.items():
        prop = {"description": f.doc, **_schema(f.type)}
        if f.default is not None and f.default != "the model's owner":
            prop["default"] = f.default
        properties[name] = prop
    required = [name for name, f in t.fields.items() if f.required]
    out: dict[str, Any] = {"type": "object", "properties": properties,
                           "additionalProperties": False}
    if required:
        out["required"] = required
    return out


def field_reference() -> str:
    """Markdown tables documenting every field, its type, default and meaning."""
    sections = [("Model (front matter)", MODEL), ("reviewed", REVIEW), ("scope", SCOPE),
                ("assets[]", ASSET), ("boundaries[]", BOUNDARY), ("elements[]", ELEMENT),
                ("flows[]", FLOW), ("threats[]", THREAT), ("threats[].acceptance", ACCEPTANCE),
                ("threats[].hurts[]", HURT), ("threats[].per_target.TARGET", PER_TARGET),
                ("mitigations[]", MITIGATION), ("assumptions[]", ASSUMPTION),
                ("dismissed[]", DISMISSAL)]
    out = []
    for title, t in sections:
        out += [f"### {title}", "", "| key | type | required | default | meaning |",
                "|---|---|---|---|---|"]
        for name, f in t.fields.items():
            default = ("" if f.default is None else "`[]`" if f.default == [] else
                       f"`{str(f.default).lower()}`" if isinstance(f.default, bool) else
                       f"`{f.default}`")
            out.append(f"| `{name}` | {f.type.describe()} | {'yes' if f.required else ''} "
                       f"| {default} | {f.doc} |")
        out.append("")
    out += ["### Flows: encryption", "",
            "When a flow has no `encrypted` key, its `protocol` decides, read as words: any "
            "word of the first row makes it encrypted (`PostgreSQL over TLS`), else any word "
            "of the second makes it plain:", "",
            "| `encrypted` | protocol words |", "|---|---|",
            "| `true` | " + ", ".join(f"`{w}`" for w in ENCRYPTED_PROTOCOLS) + " |",
            "| `false` | " + ", ".join(f"`{w}`" for w in PLAIN_PROTOCOLS) + " |",
            "| unknown | anything else, or no protocol |", "",
            "### Controls", "",
            "The values of `controls` (on elements and flows). A model that lists them says "
            "that these are in place and the others are not; suggestion rules that ask for a "
            "missing control read that, and stay silent where `controls` is not given:", "",
            "| control | meaning |", "|---|---|",
            *(f"| `{name}` | {doc} |" for name, doc in CONTROLS.items()), "",
            "### Technologies", "",
            "`technology` is free text; rules read its kind from this vocabulary, looking the "
            "whole value up (lower-cased; a trailing version, a trailing parenthesis and a "
            "vendor's name such as AWS or Azure dropped). A value not listed has no kind, and "
            "rules then read nothing from it:", "",
            "| kind | also written as |", "|---|---|",
            *(f"| `{kind}` | {', '.join(f'`{n}`' for n in names)} |"
              for kind, names in TECHNOLOGIES.items()), "",
            "### Words that map to values", "",
            "A misspelt or synonymous value is an error (TM103) whose hint names the value meant:",
            "", "| field | written | meant |", "|---|---|---|"]
    for where, table in (("levels", LEVEL_SYNONYMS), ("`stride`", STRIDE_SYNONYMS),
                         ("threat `status`", THREAT_STATUS_SYNONYMS),
                         ("mitigation `status`", MITIGATION_STATUS_SYNONYMS),
                         ("`controls`", CONTROL_SYNONYMS)):
        out += [f"| {where} | `{word}` | `{value}` |" for word, value in table.items()]
    out.append("")
    return "\n".join(out)
