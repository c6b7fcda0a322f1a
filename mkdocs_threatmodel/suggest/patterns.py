"""What an element is (a :class:`Kind`: kinds of the format's technology vocabulary, and
the words of a name) and the words that say what a flow does (labels, protocols,
descriptions). Each pattern matches whole words, case-insensitively; tags are never read."""

from __future__ import annotations

import re

from .facts import Kind, words

QUEUE = Kind({"message-queue", "stream-processing"}, words(
    "queue", "queues", "sqs", "kafka", "rabbitmq", "amqp", "pub/?sub", "pubsub", "service bus",
    "nats", "kinesis", "event ?hub", "eventbridge", "topic", "jms", "activemq", "mq"))
SQL = Kind({"database", "identity-store-database", "data-lake"}, words(
    "sql", "postgres(?:ql)?", "mysql", "mariadb", "oracle", "mssql", "sqlite", "aurora", "rds",
    "database", "db", "mongo(?:db)?", "dynamo(?:db)?", "cassandra", "couchdb", "cosmos ?db",
    "firestore", "nosql", "table"))
LDAP = Kind({"ldap-server", "identity-store-ldap"}, words(
    "ldaps?", "active directory", "openldap"))
SEARCH = Kind({"search-index", "search-engine"}, words(
    "elasticsearch", "opensearch", "solr", "lucene", "search index", "algolia", "meilisearch"))
LLM = Kind({"ai"}, words(
    "llm", "llms", "gpt[-0-9a-z.]*", "claude", "gemini", "bedrock", "openai", "language model",
    "agent", "ai agent", "assistant", "chatbot", "copilot", "mistral", "llama"))
PAYMENT = Kind({"payment-provider"}, words(
    "stripe", "paypal", "adyen", "braintree", "payment", "payments", "psp", "checkout\\.com",
    "klarna", "payment processor"))
PAYMENT_DATA = words("payment", "payments", "charge", "charges", "card", "cards",
                     "paymentintent", "payment[- ]intents?", "refund", "refunds")
ADMIN = Kind(set(), words(
    "admin", "administration", "back[- ]?office", "console", "management", "dashboard",
    "operator", "staff tool", "internal tool"), always=True)
RUNTIME = words("kubernetes", "k8s", "cluster", "eks", "gke", "aks", "ecs", "fargate",
                "docker", "container", "vm", "ec2", "nomad", "openshift", "app service",
                "heroku")
CI = Kind({"build-pipeline"}, words(
    "ci", "ci/cd", "pipeline", "build server", "jenkins", "github actions", "gitlab",
    "circleci", "buildkite", "argo ?cd", "teamcity", "deploy(?:er|ment)? pipeline"))
THIRD_CODE = Kind({"library"}, words(
    "sdk", "library", "libraries", "plugin", "plugins", "npm", "pypi", "open[- ]source",
    "package", "packages", "wordpress", "vendor(?:ed)?"))
VAULT = Kind({"vault", "hsm"}, words(
    "vault", "secrets? manager", "kms", "key vault", "hsm", "secret store", "parameter store"))
IDP = Kind({"identity-provider"}, words(
    "identity provider", "idp", "okta", "auth0", "keycloak", "cognito", "entra", "azure ad",
    "oauth", "oidc", "sso", "identity"))
REGISTRY = Kind({"service-registry"}, words(
    "consul", "eureka", "etcd", "zookeeper", "service discovery", "service registry"))
XML = words("xml", "soap", "saml", "wsdl", "xslt", "svg")
SERIAL = words("rmi", "java serialization", "serialized", "pickle", "iiop", "viewstate",
               "hessian", "kryo", "binary")
FILES = Kind({"file-server", "local-file-system", "block-storage"}, words(
    "file", "files", "filesystem", "nfs", "smb", "s3", "bucket", "blob", "object storage",
    "gcs", "disk", "efs", "pdf", "pdfs"))
UPLOAD = words("upload", "uploads", "attachment", "attachments", "multipart", "image",
               "images", "avatar", "document", "documents", "import")
LOG = Kind({"monitoring"}, words(
    "log", "logs", "audit", "archive", "siem", "journal", "splunk", "evidence"), always=True)
WEBHOOK = words("webhooks?", "callbacks?", "ipn", "event notifications?")
SIGNED = words("signature", "signed", "hmac(?:-sha\\d+)?", "mtls", "client certificate",
               "jws")
NONCE = words("nonces?")
FRESHNESS = words("timestamps?", "expir\\w*", "ttl", "tolerance")
OBJECT_ID = re.compile(r"\{[^}/]+\}|/:[A-Za-z_]\w*|<[^>/]+>")
WRITE = words("post", "put", "patch", "delete", "insert", "update", "create", "submit")
AMOUNT = words("price", "prices", "amount", "amounts", "total", "totals", "checkout", "cart",
               "payment", "payments", "purchase", "pay", "invoice", "refund", "refunds",
               "discount", "discounts", "quantity", "price_cents", "basket")
BROWSER = Kind({"browser", "mobile-app", "desktop", "client-system"}, words(
    "browser", "browsers", "web", "spa", "frontend", "front-end", "webapp", "user", "users",
    "customer", "customers", "guest", "guests", "widget"))
HTTP = words("https?", "rest", "graphql", "get", "post", "put", "patch", "delete",
             "websocket", "wss?")
PROXY = words("gateway", "api gateway", "proxy", "cdn", "waf", "load balancer", "alb", "elb",
              "nginx", "envoy", "cloudfront", "ingress", "haproxy")
SESSION = words("session", "sessions", "cookie", "cookies")
PASSWORD = words("password", "passwords", "login", "credentials", "basic", "passphrase")
URL_INPUT = words("url", "urls", "uri", "link", "links", "fetch", "webhook url", "callback url",
                  "image url", "proxy")
