"""Reads the Maildir that tests/smtp/maildir.py writes, as a mail reader
would, with Python's email package, and prints each message as one JSON
object a line: its envelope's recipients, its headers as read (encoded
words decoded), the MIME type of the message and of each part with the
part's text, and every defect the parser found (none, in valid MIME).

    python3 tests/smtp/inbox.py DIR
"""

import email
import email.policy
import json
import mailbox
import sys


def addresses(header):
    if header is None:
        return []
    return [[a.display_name, a.addr_spec] for a in header.addresses]


def main(folder):
    box = mailbox.Maildir(folder, factory=None, create=False)
    for key in sorted(box.keys()):
        raw = box.get_bytes(key)
        message = email.message_from_bytes(raw, policy=email.policy.default)
        parts = []
        defects = [str(d) for d in message.defects]
        for part in message.walk():
            defects.extend(str(d) for d in part.defects)
            if part.is_multipart():
                continue
            parts.append(
                {
                    "type": part.get_content_type(),
                    "charset": part.get_content_charset(),
                    "text": part.get_content(),
                }
            )
        print(
            json.dumps(
                {
                    "rcpt_to": [r.strip() for r in message.get("X-RcptTo", "").split(",") if r.strip()],
                    "from": addresses(message["From"]),
                    "to": addresses(message["To"]),
                    "reply_to": addresses(message["Reply-To"]),
                    "subject": str(message["Subject"]),
                    "message_id": str(message["Message-ID"]),
                    "type": message.get_content_type(),
                    "parts": parts,
                    "defects": defects,
                }
            )
        )


if __name__ == "__main__":
    main(sys.argv[1])
