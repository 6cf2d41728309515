# What a typed answer may be, and what the bot is waiting for (Russian). Arguments arrive HTML-escaped.

## The student's name

name-error-invisible = В имени не видно букв: есть пустые или невидимые символы. Напишите имя и фамилию обычными буквами, например: <i>Анна Иванова</i>.

## A command while a typed answer is awaited

adm-name-expected = Такой команды нет. Жду название класса, например <code>5А</code>. /cancel — отменить.
