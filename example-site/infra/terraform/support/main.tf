# Support assistant, tool broker and refund approvals (example stand-in).
