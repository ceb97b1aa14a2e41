"""The mail server of tests/introduce.rs, run by aiosmtpd:

    PYTHONPATH=tests/smtp python3 -m aiosmtpd -n -l 127.0.0.1:PORT -c maildir.Maildir DIR [LIMIT]

Each message taken is written to the Maildir DIR by aiosmtpd's Mailbox
handler, which adds the envelope's recipients as X-RcptTo. Two ways to
fail, for the tests of failures: a recipient whose address starts with
`refuse` is refused for good (550); and with LIMIT, every message after
the first LIMIT is refused for now (451), as a server in trouble does.
"""

import os

from aiosmtpd.handlers import Mailbox


class Maildir(Mailbox):
    def __init__(self, mail_dir, limit=None):
        # A Maildir is three folders: made here, as Python makes them only
        # when the Maildir's own folder is new.
        for sub in ("tmp", "new", "cur"):
            os.makedirs(os.path.join(mail_dir, sub), exist_ok=True)
        super().__init__(mail_dir)
        self.limit = limit
        self.taken = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.split("@")[0].startswith("refuse"):
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.limit is not None and self.taken >= self.limit:
            return "451 4.3.0 Too busy: try again later"
        self.taken += 1
        return await super().handle_DATA(server, session, envelope)

    @classmethod
    def from_cli(cls, parser, *args):
        if len(args) not in (1, 2):
            parser.error("usage: -c maildir.Maildir DIR [LIMIT]")
        limit = int(args[1]) if len(args) == 2 else None
        return cls(args[0], limit)
