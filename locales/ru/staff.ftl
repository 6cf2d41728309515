# Teachers' and admins' texts (Russian). Arguments arrive HTML-escaped.

cmd-whoami = Мои роли

## A join request, as a teacher sees it

request-card =
    📥 <b>Заявка в класс { $class }</b>, { $school }
    Ученик: <b>{ $name }</b>
    Способ: { $variant ->
        [1] вариант 1 — заявка на сайте Сферума
       *[other] вариант 2 — ждёт ссылку-приглашение в класс
    }
    Время: { $time }

    { $variant ->
        [1] Сначала найдите и подтвердите заявку в Сферуме, раздел «Заявки», затем нажмите ✅.
       *[other] Создайте в Сферуме ссылку-приглашение в класс (роль «Ученик»), отправьте её ученику и нажмите ✅.
    }
btn-approve = ✅ Подтвердить
btn-reject = ❌ Отклонить
btn-reason-not-found = Не нашёл(ла) заявку в Сферуме
btn-reason-not-my-class = Ученик не из моего класса
btn-reason-other = Другая причина
reject-ask-reason = Почему отклоняете? Ученик увидит причину.
decision-approved = ✅ Подтверждено: { $who }, { $time }
decision-rejected = ❌ Отклонено: { $who }, { $time }. Причина: { $reason ->
        [not-found] заявка не найдена в Сферуме
        [not-my-class] ученик не из этого класса
       *[other] другая
    }
decision-saved = Решение сохранено, ученик получит ответ.
decision-already = Уже решено: { $who }, { $time }. Ничего не изменилось.
decision-forbidden = Эту заявку может рассмотреть только учитель этого класса или администратор школы.
decision-unknown = Заявка не найдена: возможно, ученик удалил свои данные.

## What the student hears

student-approved =
    ✅ { $by ->
        [teacher] Классный руководитель { $class } подтвердил вашу заявку!
       *[school] Школа подтвердила вашу заявку в класс { $class }!
    }
    { $variant ->
        [1] Вы присоединены к школе и классу в Сферуме; учитель может пригласить вас в чат класса.
       *[other] Учитель пришлёт ссылку-приглашение в класс — откройте её и присоединитесь.
    }
student-rejected =
    ❌ Заявку в класс { $class } отклонили. Причина: { $reason ->
        [not-found] учитель не нашёл вашу заявку в Сферуме
        [not-my-class] учитель считает, что вы не из этого класса
       *[other] другая
    }.
    Проверьте школу и класс и отправьте заявку ещё раз (/restart) или спросите классного руководителя.

## Invite links

invite-unknown = Ссылка-приглашение не распознана. Попросите новую у того, кто её прислал.
invite-used = Эта ссылка-приглашение уже использована. Попросите новую.
invite-expired = Срок действия ссылки-приглашения истёк. Попросите новую.
invite-school_admin = 🎉 Вы — администратор школы «{ $school }». /whoami покажет ваши роли, /invite_teacher — ссылки для классных руководителей.
invite-teacher = 🎉 Вы — классный руководитель { $class }, { $school }. Заявки учеников будут приходить сюда.

whoami-title = <b>Ваши роли</b>
whoami-super-admin = • администратор муниципалитета
whoami-school-admin = • администратор школы: { $school }
whoami-teacher = • классный руководитель: { $class }, { $school }
whoami-student = • ученик
whoami-teacher-commands = Команды учителя: /requests — заявки, /class — ученики класса, /setlink и /setchat — ссылки класса, /qr — QR-коды для плаката.
whoami-admin-commands = Команды администратора школы: /classes — классы, /newclass — новый класс, /teachers — роли, /invite_teacher — ссылка для учителя, /broadcast — рассылка.
whoami-super-commands = Команды администратора муниципалитета: /newschool — новая школа, /invite_admin — ссылка для администратора школы.

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
