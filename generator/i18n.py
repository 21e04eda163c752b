"""Words that come from data rather than from a template (labels of record
values, release conditions, derived actions), per language."""
from __future__ import annotations

from .errors import InputError

PHRASES: dict[str, dict] = {
    "en": {
        "type": {"civil_society": "civil-society organisation", "women_led": "women-led organisation",
                 "government": "government body", "private_sector": "private-sector company",
                 "academic": "academic or research institution", "network": "network of organisations"},
        "kind": {"implementing": "implementing partnership", "advocacy": "advocacy partnership",
                 "market_based": "market-based partnership", "capacity_exchange": "capacity-exchange partnership",
                 "research": "research partnership"},
        "rating": {"low": "low", "medium": "medium", "significant": "significant", "high": "high"},
        "on_signature": "On signature of this Agreement by both Parties",
        "after": "When at least {percent}% of tranche {tranche} has been liquidated",
        "none": "None recorded",
        "action": "Agree a plan to address this weakness and review progress at each quarterly meeting",
        "signs": "Signs the Agreement and its amendments",
        "manages": "Day-to-day management, requests for funds and reports",
        "start": "Start of implementation",
        "midterm": "Mid-term joint review of progress, risks and the start-up action plan",
        "final": "Final narrative and financial reports due",
    },
    "fr": {
        "type": {"civil_society": "organisation de la société civile", "women_led": "organisation dirigée par des femmes",
                 "government": "organisme public", "private_sector": "entreprise du secteur privé",
                 "academic": "institution universitaire ou de recherche", "network": "réseau d'organisations"},
        "kind": {"implementing": "partenariat de mise en œuvre", "advocacy": "partenariat de plaidoyer",
                 "market_based": "partenariat fondé sur le marché", "capacity_exchange": "partenariat d'échange de capacités",
                 "research": "partenariat de recherche"},
        "rating": {"low": "faible", "medium": "moyen", "significant": "important", "high": "élevé"},
        "on_signature": "À la signature du présent Accord par les deux Parties",
        "after": "Lorsqu'au moins {percent} % de la tranche {tranche} ont été justifiés",
        "none": "Aucun élément relevé",
        "action": "Convenir d'un plan pour remédier à cette faiblesse et en suivre les progrès à chaque réunion trimestrielle",
        "signs": "Signe l'Accord et ses avenants",
        "manages": "Gestion courante, demandes de fonds et rapports",
        "start": "Début de la mise en œuvre",
        "midterm": "Revue conjointe à mi-parcours des progrès, des risques et du plan d'actions de démarrage",
        "final": "Remise des rapports narratif et financier finaux",
    },
    "es": {
        "type": {"civil_society": "organización de la sociedad civil", "women_led": "organización liderada por mujeres",
                 "government": "entidad pública", "private_sector": "empresa del sector privado",
                 "academic": "institución académica o de investigación", "network": "red de organizaciones"},
        "kind": {"implementing": "alianza de implementación", "advocacy": "alianza de incidencia",
                 "market_based": "alianza basada en el mercado", "capacity_exchange": "alianza de intercambio de capacidades",
                 "research": "alianza de investigación"},
        "rating": {"low": "bajo", "medium": "medio", "significant": "considerable", "high": "alto"},
        "on_signature": "A la firma del presente Acuerdo por ambas Partes",
        "after": "Cuando se haya legalizado al menos el {percent} % del tramo {tranche}",
        "none": "Ninguno registrado",
        "action": "Acordar un plan para atender esta debilidad y revisar su avance en cada reunión trimestral",
        "signs": "Firma el Acuerdo y sus enmiendas",
        "manages": "Gestión diaria, solicitudes de fondos e informes",
        "start": "Inicio de la ejecución",
        "midterm": "Revisión conjunta de medio término del avance, los riesgos y el plan de acciones iniciales",
        "final": "Entrega de los informes narrativo y financiero finales",
    },
}


def phrases(language: str) -> dict:
    """The phrase table for ``language`` ('fr-CA' uses 'fr')."""
    base = language.replace("_", "-").split("-")[0]
    if base not in PHRASES:
        raise InputError(f"language '{language}' has no phrase table; supported: {', '.join(sorted(PHRASES))}")
    return PHRASES[base]
