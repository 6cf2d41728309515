# What a typed answer may be, and what the bot is waiting for (English). Arguments arrive HTML-escaped.

## The student's name

name-error-invisible = I can't see any letters in that name: it has blank or invisible characters. Please type your first and last name in ordinary letters, for example: <i>Anna Ivanova</i>.

## A command while a typed answer is awaited

adm-name-expected = There's no such command. I am waiting for the class name, for example <code>5A</code>. To cancel: /cancel.
