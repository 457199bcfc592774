"""STS (query protocol, API 2011-06-15): GetCallerIdentity."""

SERVICE = 'sts'
PROTOCOL = 'query'
VERSION = '2011-06-15'
XMLNS = 'https://sts.amazonaws.com/doc/2011-06-15/'


def get_caller_identity(ctx):
    cred = ctx.emu.creds.get(ctx.access_key) or {}
    user = cred.get('user') or 'cairn-test'
    if cred.get('session_token'):
        arn = 'arn:aws:sts::%s:assumed-role/%s/cairn-session' % (ctx.account, user)
        uid = 'AROA%s:cairn-session' % ctx.access_key[4:]
    else:
        arn = 'arn:aws:iam::%s:user/%s' % (ctx.account, user)
        uid = 'AIDA' + (ctx.access_key or 'UNKNOWN')[4:]
    return {'UserId': uid, 'Account': ctx.account, 'Arn': arn}


ACTIONS = {'GetCallerIdentity': get_caller_identity}
