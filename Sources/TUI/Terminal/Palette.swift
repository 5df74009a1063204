import CNcursesw

/// How each Role looks in curses: a color pair per role when the terminal has colors, and
/// attributes alone when it has not (so states still differ on a monochrome terminal).
enum Palette {
    struct Look {
        var pair: Int16
        var attributes: attr_t
    }

    nonisolated(unsafe) private static var looks: [Look] = Role.allCases.map { monochrome($0) }

    /// Call once, on the terminal thread, after start_color.
    static func install(defaultBackground: Bool, colors: Int) {
        let background = Int16(defaultBackground ? -1 : Int32(COLOR_BLACK))
        let grey = Int16(colors >= 16 ? 8 : Int32(COLOR_WHITE))
        var result: [Look] = []
        for role in Role.allCases {
            let pair = Int16(role.rawValue) + 1
            let (foreground, attributes) = colored(role, grey: grey, greyIsReal: colors >= 16)
            init_pair(pair, foreground, background)
            result.append(Look(pair: pair, attributes: attributes))
        }
        looks = result
    }

    static func look(_ style: Style) -> Look {
        var look = looks[Int(style.role.rawValue)]
        if style.bold { look.attributes |= pg_a_bold() }
        if style.reverse { look.attributes |= pg_a_reverse() }
        return look
    }

    private static func colored(_ role: Role, grey: Int16, greyIsReal: Bool) -> (Int16, attr_t) {
        let dimGrey = greyIsReal ? pg_a_normal() : pg_a_dim()
        switch role {
        case .normal, .title: return (-1, pg_a_normal())
        case .dim, .pending, .barTodo, .closed: return (grey, dimGrey)
        case .border: return (Int16(COLOR_BLUE), pg_a_normal())
        case .accent, .focus, .info: return (Int16(COLOR_CYAN), pg_a_normal())
        case .open, .barDone: return (Int16(COLOR_GREEN), pg_a_normal())
        case .openFiltered: return (Int16(COLOR_CYAN), pg_a_normal())
        case .unfiltered: return (Int16(COLOR_BLUE), pg_a_bold())
        case .closedFiltered: return (Int16(COLOR_MAGENTA), pg_a_normal())
        case .filtered, .warning: return (Int16(COLOR_YELLOW), pg_a_normal())
        case .error: return (Int16(COLOR_RED), pg_a_bold())
        }
    }

    private static func monochrome(_ role: Role) -> Look {
        let attributes: attr_t = switch role {
        case .normal, .title, .filtered, .border, .barTodo: pg_a_normal()
        case .dim, .pending, .closed: pg_a_dim()
        case .accent, .open, .barDone, .info: pg_a_bold()
        case .focus: pg_a_reverse()
        case .openFiltered, .unfiltered, .closedFiltered: pg_a_underline()
        case .warning: pg_a_bold()
        case .error: pg_a_bold() | pg_a_underline()
        }
        return Look(pair: 0, attributes: attributes)
    }
}
