# Teachers' and admins' texts (Russian). Arguments arrive HTML-escaped.

cmd-whoami = Мои роли

## A join request, as a teacher sees it

request-card =
    📥 <b>{ $variant ->
        [1] Заявка в класс { $class }
       *[other] Просьба о ссылке-приглашении в класс { $class }
    }</b>, { $school }
    Ученик: <b>{ $name }</b>{ $username ->
        [none] {""}
       *[other] {" "}(@{ $username })
    }
    Способ: { $variant ->
        [1] вариант 1 — заявка на сайте Сферума
       *[other] вариант 2 — ждёт ссылку-приглашение в класс
    }
    Время: { $time }

    { $variant ->
        [1] Сначала найдите и подтвердите заявку в Сферуме, раздел «Заявки», затем нажмите ✅.
       *[other] Создайте в Сферуме ссылку-приглашение в класс с ролью «Ученик» — так же, как для сотрудников (<a href="{ $guide_invite }">инструкция для администратора</a>{ $guide_invite_pages ->
                [none] {""}
               *[other] , стр. { $guide_invite_pages }
            }), и сохраните её командой <code>/setlink ссылка</code>: бот сразу пришлёт её с QR-кодом всем ученикам класса, которые её ждут, и закроет их просьбы. Передали ссылку сами — нажмите ✅.
    }
request-card-namesake = ⚠️ В классе есть ещё ученик с таким именем: этот — в боте с { $since }. Сверьте, прежде чем подтверждать.
btn-approve = ✅ Подтвердить
btn-reject = ❌ Отклонить
btn-reason-not-found = Заявки нет в Сферуме
btn-reason-not-my-class = Ученик не из моего класса
btn-reason-other = Другая причина
reject-ask-reason = Почему отклоняете? Ученик увидит причину.
decision-approved = { $variant ->
        [1] ✅ Подтверждено: { $who }, { $time }
       *[other] ✅ Ссылка отправлена: { $who }, { $time }
    }
decision-rejected = ❌ Отклонено: { $who }, { $time }. Причина: { $reason ->
        [not-found] заявка не найдена в Сферуме
        [not-my-class] ученик не из этого класса
       *[other] { $text ->
            [none] другая
           *[other] «{ $text }»
        }
    }
decision-saved = Решение сохранено, ученик получит ответ.
decision-already = Уже решено: { $who }, { $time }. Ничего не изменилось.
decision-forbidden = Эту заявку может рассмотреть только учитель этого класса или администратор школы.
decision-unknown = Заявка не найдена: ученик выбрал(а) другой класс или удалил(а) свои данные. Делать ничего не нужно.

## What the student hears

student-approved =
    ✅ { $by ->
        [teacher] Классный руководитель { $class } { $variant ->
            [1] подтвердил(а) вашу заявку!
           *[other] отметил(а), что передал(а) вам ссылку-приглашение в класс.
        }
       *[school] { $variant ->
            [1] Школа подтвердила вашу заявку в класс { $class }!
           *[other] Школа отметила, что передала вам ссылку-приглашение в класс { $class }.
        }
    }
    { $variant ->
        [1] Вы присоединены к школе и классу в Сферуме. { $chat ->
            [link] Ссылка на чат класса — в следующем сообщении.
           *[none] Когда учитель сохранит ссылку на чат класса, я пришлю её сюда; или учитель добавит вас в чат.
        }
       *[other] { $link ->
            [none] Если ссылки у вас нет — спросите её у учителя.
           *[other] Если вы ещё не присоединились к классу, откройте <a href="{ $link }">ссылку-приглашение</a>.
        }
    }
student-rejected =
    ❌ { $variant ->
        [1] Заявку в класс { $class } отклонили.
       *[other] Просьбу о ссылке в класс { $class } отклонили.
    } Причина: { $reason ->
        [not-found] учитель не видит вашу заявку в Сферуме
        [not-my-class] учитель считает, что вы не из этого класса
       *[other] { $text ->
            [none] другая
           *[other] «{ $text }»
        }
    }.
    { $reason ->
        [not-my-class] Если вы в другом классе — выберите его: /restart (или отсканируйте QR-код своего класса). Если класс верный — отправьте заявку снова кнопкой ниже или спросите классного руководителя.
       *[other] Проверьте, что сделали всё по шагам, и отправьте заявку снова кнопкой ниже, или спросите классного руководителя.
    }

## Invite links

invite-unknown = Ссылка-приглашение не распознана. Попросите новую у отправителя.
invite-used = Эта ссылка-приглашение уже использована. Попросите новую.
invite-expired = Срок действия ссылки-приглашения истёк. Попросите новую.
invite-school_admin = 🎉 Вы — администратор школы «{ $school }». /whoami покажет ваши роли, /invite_teacher — ссылки для классных руководителей, /help — инструкции.
invite-teacher = 🎉 Вы — классный руководитель { $class }, { $school }. Заявки учеников будут приходить сюда. /help — команды и инструкции.

whoami-title = <b>Ваши роли</b>
whoami-super-admin = • администратор муниципалитета
whoami-school-admin = • администратор школы: { $school }
whoami-teacher = • классный руководитель: { $class }, { $school }
whoami-student = • ученик
whoami-teacher-commands = Команды учителя: /requests — заявки, /class — ученики класса, /setlink и /setchat — ссылки класса, /qr — QR-коды для плаката, /stats — статистика класса.
whoami-admin-commands = Команды администратора школы: /classes — классы, /newclass — новый класс, /teachers — роли, /invite_teacher — ссылка для учителя, /broadcast — рассылка, /stats — статистика школы.
whoami-super-commands = Команды администратора муниципалитета: /newschool — новая школа, /invite_admin — ссылка для администратора школы, /stats — статистика всех школ.

## Admin commands

admin-only-super = Эта команда — для администраторов муниципалитета.
admin-only-school = Эта команда — для администраторов школы.
admin-newschool-usage = Напишите название после команды, например: <code>/newschool МБОУ СОШ № 5</code>
admin-school-created = Школа «{ $school }» создана. Ссылка для её администратора: /invite_admin
admin-school-exists = Школа «{ $school }» уже есть.
admin-newclass-usage = Напишите класс после команды, например: <code>/newclass 5А</code>
admin-class-created = Класс { $class } создан. Ссылка для классного руководителя: /invite_teacher
admin-class-exists = Класс { $class } уже есть.
admin-no-schools = Школ пока нет: создайте командой /newschool.
admin-no-classes = Классов пока нет: создайте командой /newclass.
admin-pick-school = Для какой школы нужен администратор?
admin-pick-class = Для какого класса нужен классный руководитель?
admin-invite-school_admin =
    Одноразовая ссылка для администратора школы «{ $place }» (действует { $days } дн.):
    { $link }
    Перешлите её этому человеку; открыть её сможет только один.
admin-invite-teacher =
    Одноразовая ссылка для классного руководителя { $place } (действует { $days } дн.):
    { $link }
    Перешлите её учителю; открыть её сможет только один.
request-card-gone = { $why ->
        [moved] ↪️ Заявка в класс { $class } отозвана: ученик выбрал(а) другой класс — { $to }. Делать ничего не нужно.
       *[forgotten] 🗑 Заявка в класс { $class } удалена учеником вместе с личными данными в боте. Делать ничего не нужно.
    }
reject-type-reason = Напишите причину одним сообщением (до 200 символов) — ученик её увидит. /cancel — не отклонять.
reject-reason-invalid = Причина — обычный текст до 200 символов, хотя бы одно слово. Напишите ещё раз или /cancel — не отклонять.
reject-reason-expected = Жду причину отказа обычным текстом (до 200 символов). /cancel — не отклонять.
reject-cancelled = Хорошо, заявка не отклонена: она ждёт решения, кнопки ✅ / ❌ снова на карточке.
btn-retry-request = Отправить заявку снова 🔁
whoami-unreached = Заявок, которые пока никто не получил (в классе и школе нет учителя или администратора в боте): { $count }. Они видны в /requests.

## /help for staff (handlers/teacher.py, bot/cards.py staff_help_text): each role its own lines

staff-help-title = ℹ️ <b>Сотрудникам</b>
staff-help-teacher = Учителю: /requests, /class, /setlink, /setchat, /qr, /stats
staff-help-school-admin = Администратору школы: /classes, /newclass, /teachers, /invite_teacher, /broadcast, /stats
staff-help-super-admin = Муниципалитету: /newschool, /invite_admin, /broadcast, /stats
# Memo instruction 1: also sent to a school admin who has just redeemed the invite.
staff-help-structure = 🏫 <b>Создание классов</b>, если кабинет школы в { $ejournal } не связан со Сферумом: школьный администратор Сферума создаёт структуру классов в кабинете школы на { $sferum } и назначает классных руководителей (сотрудники должны быть присоединены к школе в Сферуме) — <a href="{ $guide_structure }">инструкция</a>{ $guide_structure_pages ->
        [none] {""}
       *[other] , стр. { $guide_structure_pages }
    }. Иначе вариант 1 не сработает ни у одного ученика школы.
# Memo instruction 4; $shared: "yes" right after instruction 1 from the same guide.
staff-help-invite = 🔗 <b>Ссылка в класс</b> (вариант 2): в Сферуме, как для сотрудников, но с ролью «Ученик» — { $shared ->
        [yes] та же инструкция
       *[other] <a href="{ $guide_invite }">инструкция</a>
    }{ $guide_invite_pages ->
        [none] {""}
       *[other] , стр. { $guide_invite_pages }
    }; затем /setlink
staff-help-legal = ⚖️ ИКОП «Сферум» — часть ФГИС «Моя школа»: п. 3¹ Положения о ФГИС «Моя школа», утв. постановлением Правительства РФ от 13.06.2022 № 1241 в ред. постановления от 22.09.2023 № 1545.
staff-help-student = Как ученик: /status и /start.
