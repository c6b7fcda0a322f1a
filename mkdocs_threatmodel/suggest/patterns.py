"""The words that say what an element is or what a flow does, read from technology, names,
labels and protocols. Each pattern matches whole words, case-insensitively."""

from __future__ import annotations

import re

from .facts import words

QUEUE = words("queue", "queues", "sqs", "kafka", "rabbitmq", "amqp", "pub/?sub", "pubsub",
              "service bus", "nats", "kinesis", "event ?hub", "eventbridge", "topic", "jms",
              "activemq", "mq")
SQL = words("sql", "postgres(?:ql)?", "mysql", "mariadb", "oracle", "mssql", "sqlite",
            "aurora", "rds", "database", "db", "mongo(?:db)?", "dynamo(?:db)?", "cassandra",
            "couchdb", "cosmos ?db", "firestore", "nosql", "table")
LDAP = words("ldaps?", "active directory", "openldap")
SEARCH = words("elasticsearch", "opensearch", "solr", "lucene", "search index", "algolia",
               "meilisearch")
LLM = words("llm", "llms", "gpt[-0-9a-z.]*", "claude", "gemini", "bedrock", "openai",
            "language model", "agent", "ai agent", "assistant", "chatbot", "copilot",
            "mistral", "llama")
PAYMENT = words("stripe", "paypal", "adyen", "braintree", "payment", "payments", "psp",
                "checkout\\.com", "klarna", "payment processor")
PAYMENT_DATA = words("payment", "payments", "charge", "charges", "card", "cards",
                     "paymentintent", "payment[- ]intents?", "refund", "refunds")
ADMIN = words("admin", "administration", "back[- ]?office", "console", "management",
              "dashboard", "operator", "staff tool", "internal tool")
RUNTIME = words("kubernetes", "k8s", "cluster", "eks", "gke", "aks", "ecs", "fargate",
                "docker", "container", "vm", "ec2", "nomad", "openshift", "app service",
                "heroku")
CONTAINER = words("kubernetes", "k8s", "eks", "gke", "aks", "ecs", "fargate", "docker",
                  "container", "containers", "pod", "openshift")
CI = words("ci", "ci/cd", "pipeline", "build server", "jenkins", "github actions", "gitlab",
           "circleci", "buildkite", "argo ?cd", "teamcity", "deploy(?:er|ment)? pipeline")
THIRD_CODE = words("sdk", "library", "libraries", "plugin", "plugins", "npm", "pypi",
                   "open[- ]source", "package", "packages", "wordpress", "vendor(?:ed)?")
VAULT = words("vault", "secrets? manager", "kms", "key vault", "hsm", "secret store",
              "parameter store")
IDP = words("identity provider", "idp", "okta", "auth0", "keycloak", "cognito", "entra",
            "azure ad", "oauth", "oidc", "sso", "identity")
REGISTRY = words("consul", "eureka", "etcd", "zookeeper", "service discovery",
                 "service registry")
XML = words("xml", "soap", "saml", "wsdl", "xslt", "svg")
SERIAL = words("rmi", "java serialization", "serialized", "pickle", "iiop", "viewstate",
               "hessian", "kryo", "binary")
FILES = words("file", "files", "filesystem", "nfs", "smb", "s3", "bucket", "blob",
              "object storage", "gcs", "disk", "efs", "pdf", "pdfs")
UPLOAD = words("upload", "uploads", "attachment", "attachments", "multipart", "image",
               "images", "avatar", "document", "documents", "import")
LOG = words("log", "logs", "audit", "archive", "siem", "journal", "splunk", "evidence")
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
BROWSER = words("browser", "browsers", "web", "spa", "frontend", "front-end", "webapp",
                "user", "users", "customer", "customers", "guest", "guests", "widget")
HTTP = words("https?", "rest", "graphql", "get", "post", "put", "patch", "delete",
             "websocket", "wss?")
PROXY = words("gateway", "api gateway", "proxy", "cdn", "waf", "load balancer", "alb", "elb",
              "nginx", "envoy", "cloudfront", "ingress", "haproxy")
SESSION = words("session", "sessions", "cookie", "cookies")
PASSWORD = words("password", "passwords", "login", "credentials", "basic", "passphrase")
URL_INPUT = words("url", "urls", "uri", "link", "links", "fetch", "webhook url", "callback url",
                  "image url", "proxy")
