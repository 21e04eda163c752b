"""The pack's words, in the agreement's languages (en, fr, es)."""
from __future__ import annotations

from ..errors import InputError

WORDS = {
    "en": {
        "colon": ":",
        "period": "Period {n}", "period_dates": "{start} to {end}", "line": "Budget line", "budget": "Budget",
        "spent": "Spent this period", "cumulative": "Cumulative", "percent": "% of line", "total": "Total",
        "tranches": "Tranches", "liquidated": "Liquidated", "liquidated_pct": "% liquidated",
        "required": "Required % of", "met": "Condition met", "yes": "YES", "no": "NO",
        "calendar": "Reporting and payment calendar", "date": "Date", "event": "Event", "who": "Who",
        "report": "Narrative and financial report {n} due (period ending {end})",
        "final_report": "Final narrative and financial reports due",
        "refund": "Unspent funds returned",
        "tranche_1": "Tranche {n} ({amount}) transferred on signature",
        "tranche": "Tranche {n} ({amount}) checkpoint: released once {percent}% of tranche {of} is liquidated",
        "review": "Joint review of the two-way assessment",
        "milestone": "Milestone: {text}", "action": "Start-up action {n} due: {text}",
        "announce": "Joint announcement of the partnership",
        "start": "Project start", "end": "Project end",
        "both": "{lead} and {partner}", "times": "Times are in {zone}.",
        "key_facts": "Key facts", "parties": "Parties and contacts", "party": "Party", "contact": "Contact",
        "signatory": "Signatory", "money": "Amount and tranches", "amount": "Amount", "condition": "Condition",
        "on_signature": "on signature", "after": "{percent}% of tranche {of} liquidated",
        "dates": "Dates", "reporting": "Reporting", "every": "Narrative and financial reports every {months} months, "
        "within 30 days of each period's end; final reports by {final}.",
        "final_only": "Final narrative and financial reports by {final}.",
        "risks": "Risks and who owns them", "risk": "Risk", "owner": "Owner", "rating": "Rating",
        "mitigation": "Mitigation", "none": "None recorded",
        "checklist": "Two-way due-diligence checklist", "gives": "{giver} gives {receiver}",
        "done": "Done", "item": "Item", "due": "Due", "support": "Support", "actions": "Start-up actions",
        "weakness": "Weakness", "agreement": "Agreement {reference}",
    },
    "fr": {
        "colon": "\u00a0:",
        "period": "Période {n}", "period_dates": "du {start} au {end}", "line": "Ligne budgétaire", "budget": "Budget",
        "spent": "Dépensé sur la période", "cumulative": "Cumul", "percent": "% de la ligne", "total": "Total",
        "tranches": "Tranches", "liquidated": "Justifié", "liquidated_pct": "% justifié",
        "required": "% requis de", "met": "Condition remplie", "yes": "OUI", "no": "NON",
        "calendar": "Calendrier des rapports et des paiements", "date": "Date", "event": "Événement", "who": "Qui",
        "report": "Rapport narratif et financier {n} dû (période se terminant le {end})",
        "final_report": "Rapports narratif et financier finaux dus",
        "refund": "Restitution des fonds non dépensés",
        "tranche_1": "Tranche {n} ({amount}) versée à la signature",
        "tranche": "Tranche {n} ({amount})\u00a0: versée dès que {percent}\u00a0% de la tranche {of} est justifié",
        "review": "Revue conjointe de l’évaluation croisée",
        "milestone": "Étape\u00a0: {text}", "action": "Action de démarrage {n} due\u00a0: {text}",
        "announce": "Annonce conjointe du partenariat",
        "start": "Début du projet", "end": "Fin du projet",
        "both": "{lead} et {partner}", "times": "Heures en {zone}.",
        "key_facts": "L’essentiel", "parties": "Parties et contacts", "party": "Partie", "contact": "Contact",
        "signatory": "Signataire", "money": "Montant et tranches", "amount": "Montant", "condition": "Condition",
        "on_signature": "à la signature", "after": "{percent}\u00a0% de la tranche {of} justifié",
        "dates": "Dates", "reporting": "Rapports", "every": "Rapports narratif et financier tous les {months} mois, "
        "dans les 30 jours suivant la fin de chaque période\u00a0; rapports finaux au plus tard le {final}.",
        "final_only": "Rapports narratif et financier finaux au plus tard le {final}.",
        "risks": "Risques et responsables", "risk": "Risque", "owner": "Responsable", "rating": "Niveau",
        "mitigation": "Atténuation", "none": "Aucun élément relevé",
        "checklist": "Liste de contrôle de la diligence croisée", "gives": "{giver} remet à {receiver}",
        "done": "Fait", "item": "Élément", "due": "Échéance", "support": "Appui", "actions": "Actions de démarrage",
        "weakness": "Faiblesse", "agreement": "Accord {reference}",
    },
    "es": {
        "colon": ":",
        "period": "Período {n}", "period_dates": "del {start} al {end}", "line": "Partida", "budget": "Presupuesto",
        "spent": "Gastado en el período", "cumulative": "Acumulado", "percent": "% de la partida", "total": "Total",
        "tranches": "Tramos", "liquidated": "Justificado", "liquidated_pct": "% justificado",
        "required": "% requerido de", "met": "Condición cumplida", "yes": "SÍ", "no": "NO",
        "calendar": "Calendario de informes y pagos", "date": "Fecha", "event": "Evento", "who": "Quién",
        "report": "Informe narrativo y financiero {n} (período que termina el {end})",
        "final_report": "Informes narrativo y financiero finales",
        "refund": "Devolución de los fondos no gastados",
        "tranche_1": "Tramo {n} ({amount}) transferido a la firma",
        "tranche": "Tramo {n} ({amount}): se libera cuando se haya justificado el {percent}\u00a0% del tramo {of}",
        "review": "Revisión conjunta de la evaluación mutua",
        "milestone": "Hito: {text}", "action": "Acción de puesta en marcha {n}: {text}",
        "announce": "Anuncio conjunto de la alianza",
        "start": "Inicio del proyecto", "end": "Fin del proyecto",
        "both": "{lead} y {partner}", "times": "Horas en {zone}.",
        "key_facts": "Datos clave", "parties": "Partes y contactos", "party": "Parte", "contact": "Contacto",
        "signatory": "Firmante", "money": "Importe y tramos", "amount": "Importe", "condition": "Condición",
        "on_signature": "a la firma", "after": "{percent}\u00a0% del tramo {of} justificado",
        "dates": "Fechas", "reporting": "Informes", "every": "Informes narrativo y financiero cada {months} meses, "
        "dentro de los 30 días siguientes al fin de cada período; informes finales a más tardar el {final}.",
        "final_only": "Informes narrativo y financiero finales a más tardar el {final}.",
        "risks": "Riesgos y responsables", "risk": "Riesgo", "owner": "Responsable", "rating": "Nivel",
        "mitigation": "Mitigación", "none": "Ninguno registrado",
        "checklist": "Lista de verificación de la diligencia mutua", "gives": "{giver} entrega a {receiver}",
        "done": "Hecho", "item": "Elemento", "due": "Plazo", "support": "Apoyo", "actions": "Acciones de puesta en marcha",
        "weakness": "Debilidad", "agreement": "Convenio {reference}",
    },
}


def words(language: str) -> dict:
    try:
        return WORDS[language]
    except KeyError:
        raise InputError(f"language '{language}': the start-up pack is written in {', '.join(WORDS)} only") from None
