# The teacher's tools: /requests, /class, /setlink, /setchat, /qr (Russian). Arguments arrive HTML-escaped.

tt-not-staff = Эта команда — для классных руководителей и администраторов школы.
tt-class-forbidden = Этот класс ведёт другой учитель: здесь ничего не изменилось.
tt-pick-class = Для какого класса?
tt-too-many-classes = Показаны первые { $count } классов.

## /requests

tt-requests-none = Заявок, ожидающих решения, нет. 🎉
tt-requests-page = Заявок ждут решения: <b>{ $count }</b>. Страница { $page } из { $pages }.

## /class

tt-roster-header =
    <b>Класс { $class }</b>, { $school }
    { $count ->
        [one] { $count } ученик
        [few] { $count } ученика
       *[many] { $count } учеников
    }: { $done ->
        [one] { $done } завершил(а)
       *[other] { $done } завершили
    }, { $waiting ->
        [one] { $waiting } ждёт подтверждения
       *[other] { $waiting } ждут подтверждения
    }
tt-roster-empty = В классе пока нет учеников. Повесьте в классе QR-код от бота: /qr
tt-roster-no-name = (без имени)
tt-roster-line = { $number }. <b>{ $name }</b> — { $step }; { $branch ->
        [epos] через { $ejournal }
        [variant1] вариант 1
        [variant2] вариант 2
       *[none] путь не выбран
    }; заявка: { $status ->
        [pending] ⏳ ждёт решения
        [approved] ✅ подтверждена
        [rejected] ❌ отклонена
       *[none] нет
    }

## /setlink and /setchat

tt-setlink-usage =
    Пришлите ссылку-приглашение в класс из Сферума после команды, например:
    <code>/setlink https://sferum.ru/?invite=…</code>
tt-setchat-usage =
    Пришлите ссылку на чат класса после команды, например:
    <code>/setchat { $chat_link_example }</code>
tt-link-bad = ⚠️ Ссылка не сохранена: { $reason ->
        [empty] ссылки нет.
        [not-https] нужен адрес, начинающийся с https://
        [host] принимаются только адреса { $hosts } и их поддомены.
        [too-long] ссылка слишком длинная.
       *[not-url] это не похоже на ссылку.
    }
tt-link-expired = Команда устарела: отправьте её ещё раз вместе со ссылкой.
tt-invite-saved = ✅ Ссылка-приглашение для класса { $class } сохранена. Ученикам, которые её ждали, отправлено: { $count }.
tt-chat-saved = ✅ Ссылка на чат класса { $class } сохранена. Ученикам, которые уже в классе, отправлено: { $count }.
tt-link-undelivered = Не удалось отправить (бот заблокирован учеником?): { $names }.
tt-add-to-chat = У класса { $class } нет ссылки на чат. Добавьте в чат класса сами: { $names }. Или сохраните ссылку: /setchat
tt-student-invite-link =
    🔗 Классный руководитель { $class } прислал(а) ссылку-приглашение в класс:
    { $link }
    Откройте её или наведите камеру на QR-код, присоединитесь к классу и нажмите «{ btn-joined }».
tt-student-chat-link =
    💬 Ссылка на чат класса { $class }:
    { $link }
    Откройте её или наведите камеру на QR-код, чтобы войти в чат.

## /qr

tt-qr-poster =
    📌 Класс { $class }, { $school }
    Подключитесь к Сферуму с ботом-помощником: наведите камеру телефона на QR-код.
    { $link }
tt-qr-invite =
    🔗 Ссылка-приглашение в класс { $class } в Сферуме:
    { $link }
tt-qr-no-invite = Ссылки-приглашения в класс пока нет; сохраните её командой /setlink — ученики, которые её ждут, получат её сразу.
tt-roster-namesake = ({ $username ->
        [none] {""}
       *[other] @{ $username }, {""}
    }в боте с { $since })
