"""The rule registry: every finding's code, name, default severity and help.

Codes are stable: once published a code keeps its meaning. ``threatmodel rules``
prints this table, and SARIF output carries it as the tool's rule metadata.
Families: TM0xx syntax, TM1xx schema, TM2xx references, TM3xx STRIDE per
element, TM4xx ownership and acceptance, TM5xx staleness, TM6xx suggestions, TM9xx
configuration.
"""

from __future__ import annotations

from dataclasses import dataclass

from .finding import Severity

E, W, N = Severity.ERROR, Severity.WARNING, Severity.NOTE


@dataclass(frozen=True)
class Rule:
    """A check's stable identity and documentation."""

    code: str
    name: str
    severity: Severity
    summary: str
    why: str
    fix: str = ""
    enabled: bool = True


_RULES = [
    # -- syntax ---------------------------------------------------------------
    Rule("TM001", "yaml-syntax", E, "The front matter is not valid YAML.",
         "The model cannot be read at all until the YAML parses.",
         "Fix the YAML at the position shown; quote values that contain ': ' or start with "
         "'{', '[', '*', '&', '!', '%' or '@'."),
    Rule("TM002", "unclosed-front-matter", E, "The front matter never closes.",
         "Without the closing '---' line the whole file would be read as YAML.",
         "Add a line with only '---' after the last front matter key."),
    Rule("TM003", "front-matter-not-mapping", E, "The front matter is not a mapping.",
         "A model's front matter is a set of keys such as 'threatmodel', 'id' and 'threats'.",
         "Write 'key: value' lines at the top level of the front matter."),
    Rule("TM004", "duplicate-key", E, "A key appears twice in the same mapping.",
         "YAML loaders silently keep the last value; a threat or an owner would vanish.",
         "Remove or rename one of the two keys."),
    Rule("TM005", "yaml-tag", E, "A YAML tag is not allowed.",
         "Tags such as '!!python/object' ask a loader to build objects; models are plain data.",
         "Remove the tag and write the value as plain text."),
    Rule("TM006", "yaml-alias", E, "YAML anchors and aliases are not allowed.",
         "Aliases can multiply a document exponentially ('billion laughs') and hide what a "
         "reviewer reads.",
         "Write the value out where it is used."),
    Rule("TM007", "not-utf8", E, "The file is not UTF-8 text.",
         "Models are text that git diffs and reviewers read; other encodings break both.",
         "Save the file as UTF-8."),
    Rule("TM008", "binary-file", E, "The file is binary.",
         "A file with NUL bytes is not a Markdown model.", "Check the file's path."),
    Rule("TM009", "unreadable-file", E,
         "A model file cannot be read: no permission, not a regular file (a FIFO, a device, "
         "a folder), or a symbolic link named on the command line that leaves the repository.",
         "A model that is not read is not checked; it must not pass in silence. Models are "
         "read only from regular files, never through a link (links are not models).",
         "Make the file a readable regular file, or exclude it in .threatmodel.yaml."),
    Rule("TM010", "merge-conflict", E,
         "A model holds an unresolved merge conflict: conflict markers, or unmerged sides "
         "in git's index.",
         "A model in the middle of a conflict says two things at once; neither is checked.",
         "Resolve the conflict, remove the markers and `git add` the model."),
    Rule("TM011", "file-too-large", E,
         "A model file is larger than the size limit (16 MiB); it is not read.",
         "Every read has a limit, so a huge or endless file cannot exhaust memory or time.",
         "Split the model, or move bulky content out of it."),
    Rule("TM012", "missing-from-work-tree", W,
         "Git tracks a model that the work tree lacks (a sparse checkout, or a file deleted "
         "without `git rm`); it is not checked.",
         "A model left out of the checkout is not checked, so the run does not cover it.",
         "Check the model out (widen the sparse checkout), or `git rm` it."),
    # -- schema ---------------------------------------------------------------
    Rule("TM101", "unknown-key", E, "A key is not part of the model format.",
         "Misspelt keys are otherwise ignored and their content lost.",
         "Use the suggested key, or see `threatmodel schema` for the format."),
    Rule("TM102", "wrong-type", E, "A value has the wrong type.",
         "Each key expects a string, number, list or mapping.", "Write the expected type."),
    Rule("TM103", "invalid-value", E, "A value is not one of the allowed words.",
         "Statuses, levels, element types and STRIDE letters come from fixed lists.",
         "Use one of the listed values."),
    Rule("TM104", "bad-date", E, "A date is not a valid YYYY-MM-DD date.",
         "Reviews and acceptances expire by date.", "Write the date as YYYY-MM-DD."),
    Rule("TM105", "ambiguous-id", E, "An id would be read by YAML as a number, boolean or null.",
         "'id: 1e3', 'id: no' or 'id: 012' do not stay the text you typed.",
         "Quote the id, or start it with a letter."),
    Rule("TM106", "missing-key", E, "A required key is missing.",
         "Without it the model or entry cannot be identified or checked.", "Add the key."),
    Rule("TM107", "bad-format", E, "A value does not match its expected form.",
         "Ids are slugs; review intervals are a number followed by d or w.",
         "Follow the form given in the message."),
    Rule("TM108", "unsupported-version", E, "The format version is not supported.",
         "This release reads format version 1.", "Write 'threatmodel: 1'."),
    Rule("TM109", "nesting-too-deep", E, "The YAML nests mappings and lists too deeply.",
         "Nothing in the format nests deeper than a few levels; hundreds of levels only "
         "exhaust the reader. The file is not read further.",
         "Flatten the structure at the position shown."),
    Rule("TM110", "bad-glob", E, "A glob cannot match what it says.",
         "A class with a reversed range such as '[z-a]' matches nothing, so the model would "
         "silently cover nothing there.",
         "Write the range low to high, such as '[a-z]'."),
    Rule("TM111", "bad-cvss-vector", E, "A CVSS vector is malformed.",
         "The page shows the vector's base score; a vector that cannot be scored says "
         "nothing.",
         "Write a complete CVSS 3.1 or 4.0 vector, as a CVSS calculator gives it."),
    # -- references -----------------------------------------------------------
    Rule("TM201", "unknown-flow-endpoint", E, "A flow starts or ends at an unknown element.",
         "A flow must connect two elements of the model.", "Use an element id of this model."),
    Rule("TM202", "unknown-boundary", E, "An element sits in an unknown trust boundary.",
         "Trust boundaries decide which flows cross them.", "Use a boundary id of this model."),
    Rule("TM203", "unknown-parent-boundary", E, "A boundary is nested in an unknown boundary.",
         "'inside' must name another boundary of the model.", "Use a boundary id of this model."),
    Rule("TM204", "boundary-cycle", E, "Boundary nesting is circular.",
         "A boundary cannot contain itself, directly or through others.",
         "Remove one 'inside' of the cycle."),
    Rule("TM205", "unknown-target", E, "A threat targets an unknown element or flow.",
         "Threats are about elements and flows of the diagram.",
         "Use an element or flow id of this model."),
    Rule("TM206", "unknown-asset", E, "An asset reference is unknown.",
         "Elements and flows may only carry assets the model lists.",
         "Add the asset under 'assets' or fix the id."),
    Rule("TM207", "missing-adr", E, "A cited ADR file does not exist.",
         "ADR links are relative to the model file.", "Fix the path or remove the link."),
    Rule("TM208", "missing-test", E, "A listed test file does not exist.",
         "Test paths are relative to the repository root.", "Fix the path or remove it."),
    Rule("TM209", "duplicate-id", E, "An id is used twice in one model.",
         "Ids of assets, boundaries, elements, flows and threats share one namespace per model.",
         "Rename one of them."),
    Rule("TM210", "duplicate-model-id", E, "Another model in the repository has the same id.",
         "Model ids are unique in the repository.", "Rename one of the models."),
    Rule("TM211", "duplicate-threat-id", E,
         "Another model in the repository has a threat with the same id.",
         "Tickets and tests cite threat ids; they must be unique in the repository.",
         "Rename one of the threats."),
    Rule("TM212", "path-outside-repository", E, "A test or ADR path leaves the repository.",
         "Models name files of their own repository. A path that is absolute or climbs out "
         "with '..' is never opened: which finding it got would tell whether a file exists "
         "elsewhere on the machine, and what it holds.",
         "Name a file inside the repository: tests relative to its root, ADRs relative to "
         "the model."),
    Rule("TM213", "unknown-mitigation", E, "A threat cites an unknown mitigation.",
         "Threats and mitigations link by id; a broken link hides what closes the threat.",
         "Use a mitigation id of this model, or add the mitigation under 'mitigations'."),
    Rule("TM214", "unknown-assumption", E, "A threat rests on an unknown assumption.",
         "A threat resting on an assumption nobody wrote down cannot be re-examined.",
         "Use an assumption id of this model, or add it under 'assumptions'."),
    Rule("TM215", "per-target-not-a-target", E,
         "Per-target detail names a target the threat does not have.",
         "'per_target' refines the threat on one of its targets; any other key is a typo.",
         "Use one of the threat's 'targets' as the key."),
    Rule("TM216", "covers-matches-nothing", W,
         "A 'covers' glob matches no file in the repository.",
         "A glob that matches nothing makes staleness blind: the model can never go stale "
         "for that part of the architecture.",
         "Fix the glob (paths are relative to the repository root), or remove it."),
    Rule("TM217", "unknown-classification", E,
         "An asset's classification is not in the configured list.",
         "Classifications are ordered (public < internal < confidential < restricted by "
         "default, `classifications` in .threatmodel.yaml); an unknown word cannot be "
         "ranked.",
         "Use a listed classification, or add it to `classifications`."),
    Rule("TM218", "unplaced-threat", E,
         "A threat targets no element or flow (strict mode).",
         "Some tools (Threat Composer) write threats that name no diagram element; an import "
         "keeps them unplaced rather than guess. Until it is placed, the threat counts for no "
         "element's STRIDE coverage and no flow's boundary check.",
         "Add the ids of the elements and flows it is about to its 'targets'.",
         enabled=False),
    # -- STRIDE per element -----------------------------------------------------
    Rule("TM301", "stride-not-applicable", E,
         "A STRIDE letter does not apply to the type of its target.",
         "STRIDE per element: external entities S R; processes S T R I D E; data stores "
         "T R I D; data flows T I D.",
         "Move the letter to a threat on a target it applies to."),
    Rule("TM302", "uncovered-boundary-flow", E,
         "A flow crosses a trust boundary but no threat targets it.",
         "Threats concentrate where data crosses trust boundaries; every such flow needs at "
         "least a considered threat, 'not-applicable' with a rationale included.",
         "Add a threat that targets the flow."),
    Rule("TM303", "stride-gap", E,
         "An applicable STRIDE letter of an element or flow has no threat (strict mode).",
         "Strict mode asks for every applicable letter of every element and flow to be "
         "considered.",
         "Add a threat for the letter, or a 'not-applicable' one with a rationale.",
         enabled=False),
    # -- ownership and acceptance -------------------------------------------------
    Rule("TM401", "no-owner", E, "A threat has no owner.",
         "Unowned threats are decoration.", "Set 'owner' on the threat or on the model."),
    Rule("TM402", "no-ticket", E, "An open threat of high or critical risk has no ticket.",
         "Top risks become tickets with owners.", "Set 'ticket' to the tracker id or URL."),
    Rule("TM403", "incomplete-acceptance", E,
         "An accepted threat lacks acceptance 'by', 'date' or 'rationale'.",
         "Residual risk needs a named person who signed it off, when, and why.",
         "Fill in 'acceptance: {by: ..., date: ..., rationale: ...}'."),
    Rule("TM404", "acceptance-expired", E, "A risk acceptance has expired.",
         "Acceptances are time-boxed; an expired one must be renewed or the threat reopened.",
         "Renew the acceptance (new date and expires) or change the status."),
    Rule("TM405", "acceptance-expiring", W, "A risk acceptance expires within 30 days.",
         "Renewals need the person who accepts the risk; plan them ahead.",
         "Schedule the renewal."),
    Rule("TM406", "not-applicable-without-rationale", E,
         "A 'not-applicable' threat has no rationale.",
         "Say why the letter does not apply, so that reviewers can disagree.",
         "Add 'rationale: ...'."),
    Rule("TM407", "mitigated-without-mitigation", E, "A 'mitigated' threat has no mitigation.",
         "A mitigation that is not written down cannot be verified.",
         "Add 'mitigation: ...'."),
    Rule("TM408", "test-does-not-cite-threat", W,
         "A listed test file does not mention the threat's id.",
         "Tests prove a mitigation when they cite the threat they cover.",
         "Mention the threat id in the test (a comment or the test's name)."),
    Rule("TM409", "no-risk-rating", W, "A threat has no likelihood or impact.",
         "Risk is likelihood x impact; without both the threat cannot be ranked.",
         "Add 'likelihood' and 'impact' (or an explicit 'severity' with its reason)."),
    Rule("TM410", "mitigated-by-unfinished-mitigation", E,
         "A 'mitigated' threat cites mitigations that are not all implemented.",
         "A threat is mitigated when its controls are in place, not when they are planned.",
         "Set the threat to 'mitigating', or the mitigations to 'implemented' or "
         "'verified' once they are."),
    Rule("TM411", "unused-mitigation", W, "No threat cites a mitigation.",
         "A control that closes no threat is either a missing link or dead weight.",
         "Cite it from the threats it addresses, or remove it."),
    Rule("TM412", "mitigation-test-does-not-cite", W,
         "A mitigation's test file mentions neither its id nor a threat it closes.",
         "Tests prove a control when they say which control or threat they cover.",
         "Mention the mitigation id (or the threat id) in the test."),
    Rule("TM413", "rests-on-invalid-assumption", E,
         "A threat rests on an assumption marked invalid.",
         "When an assumption turns out false, every judgement resting on it must be redone.",
         "Re-examine the threat (its status and rating) and cite what holds instead."),
    Rule("TM414", "acceptance-without-expiry", W, "An accepted threat has no 'expires' date.",
         "An acceptance without an end is forever; risks change, so acceptances are "
         "time-boxed.",
         "Add 'expires' to the acceptance."),
    Rule("TM415", "impact-below-asset-rating", W,
         "A threat's impact is lower than the rating of what it hurts.",
         "Hurting an asset's confidentiality, integrity or availability costs at least what "
         "the asset's rating says.",
         "Raise the impact, or correct the asset's rating or the 'hurts' entry."),
    Rule("TM416", "severity-without-reason", E, "An explicit severity has no reason.",
         "An explicit severity overrides likelihood x impact; readers need to know why.",
         "Add 'severity_reason: ...'."),
    Rule("TM417", "assumption-revisit-due", W, "An assumption's revisit date has passed.",
         "Assumptions age: the vendor, the network or the law may have changed.",
         "Check that it still holds, then move 'revisit' on (or mark it invalid)."),
    # -- staleness ------------------------------------------------------------------
    Rule("TM501", "covered-paths-changed", E,
         "Commits changed paths the model covers after its last review.",
         "Models decay: the architecture they describe moved on without them.",
         "Review the model against the changes, then `threatmodel review MODEL`."),
    Rule("TM502", "adr-changed", E, "An ADR the model rests on changed after its last review.",
         "A changed decision can change trust boundaries, flows and threats.",
         "Review the model against the ADR, then `threatmodel review MODEL`."),
    Rule("TM503", "adr-superseded", E, "An ADR the model rests on is superseded.",
         "The model rests on a decision that no longer holds.",
         "Cite the superseding ADR, review the model, then `threatmodel review MODEL`."),
    Rule("TM504", "review-overdue", E,
         "The last review is older than the model's review interval.",
         "Even unchanged architecture meets new attackers; 'review_every' sets the pace.",
         "Review the model, then `threatmodel review MODEL`."),
    Rule("TM505", "history-too-shallow", W,
         "The git history stops before the model's last review (shallow clone).",
         "Without the review commit, changes since the review cannot be known; the model "
         "is treated as unknown, not as fresh.",
         "Fetch more history: `git fetch --unshallow` (or `--deepen=N`)."),
    Rule("TM506", "model-not-committed", N, "The model is not committed yet.",
         "Staleness is measured from the commit that records a review.",
         "Commit the model."),
    Rule("TM507", "staged-change-without-review", E,
         "The staged change touches paths a model covers without recording its review.",
         "A commit that changes the architecture should bring its threat model along.",
         "Review the model, `threatmodel review MODEL`, and stage it with the change."),
    # -- suggestions (`threatmodel suggest`) ------------------------------------------
    Rule("TM601", "unaddressed-suggestion", W,
         "A suggestion rule fired on an element or flow that no threat with its letter "
         "targets, and the model does not dismiss it.",
         "The rules read the model's facts (exposure, authentication, encryption, data "
         "classification, technology) for classes of threat that teams forget; see "
         "`threatmodel suggest` and docs/suggestions.md.",
         "Add a threat with that STRIDE letter on the target (`threatmodel suggest --write` "
         "appends it as untriaged), or record under 'dismissed:' the rule, target and why "
         "it does not apply."),
    Rule("TM602", "dismissal-matches-nothing", W,
         "A 'dismissed' entry names an unknown suggestion rule or a target the model lacks.",
         "A dismissal that matches nothing dismisses nothing; the suggestion it meant is still "
         "reported.",
         "Correct the rule code (`threatmodel suggest --catalogue`) or the target id."),
    # -- configuration ------------------------------------------------------------
    Rule("TM901", "bad-config", E, "The configuration file is invalid.",
         "The configuration decides rule severities for every run.",
         "Fix the configuration file as the message says."),
]

RULES: dict[str, Rule] = {rule.code: rule for rule in _RULES}
